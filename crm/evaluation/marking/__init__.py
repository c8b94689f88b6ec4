"""Grading an attempt against a standard: double marking, agreement, sign-off, pinned notes.

Other packages use `visible_final_grades(attempt_id, standard_id, viewer_id)` (what a viewer
may see, see visibility.py), `final_grades(attempt_id, standard_id)` and
`sign_off_of(attempt_id, standard_id)` and `pending_wording(attempt_id, standard_id, viewer_id)`
(the PDF report); the bench pages and the API call the
services.
"""

from crm.actionlog.seals import seal_sources
from crm.evaluation.candidate_report import write_guards
from crm.evaluation.marking.models import ActionNote, AgreedGrade, Grade, Marking, SignOff
from crm.evaluation.marking.queries import (
    final_grades,
    refuse_report_once_signed,
    sign_off_of,
    sign_off_seals,
)
from crm.evaluation.marking.visibility import visible_final_grades
from crm.evaluation.marking.wording import pending_wording

# A signed grid shows the candidate's report beside it: the report must not change after.
if refuse_report_once_signed not in write_guards:
    write_guards.append(refuse_report_once_signed)
# A sign-off seals the log's head: verifying the log checks it still passes through it.
if sign_off_seals not in seal_sources:
    seal_sources.append(sign_off_seals)

__all__ = [
    "ActionNote",
    "AgreedGrade",
    "Grade",
    "Marking",
    "SignOff",
    "final_grades",
    "pending_wording",
    "sign_off_of",
    "visible_final_grades",
]
