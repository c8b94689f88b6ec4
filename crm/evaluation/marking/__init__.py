"""Grading an attempt against a standard: double marking, agreement, sign-off, pinned notes.

Other packages use `final_grades(attempt_id, standard_id)` and `sign_off_of(attempt_id,
standard_id)` (the PDF report); the bench pages and the API call the services.
"""

from crm.evaluation.marking.models import ActionNote, AgreedGrade, Grade, Marking, SignOff
from crm.evaluation.marking.queries import final_grades, sign_off_of

__all__ = [
    "ActionNote",
    "AgreedGrade",
    "Grade",
    "Marking",
    "SignOff",
    "final_grades",
    "sign_off_of",
]
