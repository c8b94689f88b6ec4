"""What evaluation keeps, declared to crm.retention: the candidate's memo and self-assessment,
the evaluators' markings, agreed grades, sign-offs and pinned notes, and the xAPI pushes."""

from __future__ import annotations

from crm.evaluation.marking.models import ActionNote, AgreedGrade, Marking, SignOff
from crm.evaluation.self_assessment import Memo, SelfAssessment
from crm.evaluation.xapi.models import XapiPush
from crm.retention import attempt_rows, register

register(attempt_rows("memos", "memos to the supervisor", "RETENTION_GRIDS_DAYS", Memo))
register(
    attempt_rows(
        "self_assessments",
        "self-assessment grids (with their grades)",
        "RETENTION_GRIDS_DAYS",
        SelfAssessment,
    )
)
register(
    attempt_rows(
        "xapi_pushes", "records of xAPI pushes to the LRS", "RETENTION_GRIDS_DAYS", XapiPush
    )
)
# A marking's grades go with it (ON DELETE CASCADE, and the model's relationship).
for key, label, model in (
    ("markings", "evaluators' markings (with their grades)", Marking),
    ("agreed_grades", "grades agreed after double marking", AgreedGrade),
    ("sign_offs", "sign-offs (signers, log hash)", SignOff),
    ("action_notes", "evaluators' notes pinned on actions", ActionNote),
):
    register(attempt_rows(key, label, "RETENTION_GRIDS_DAYS", model))
