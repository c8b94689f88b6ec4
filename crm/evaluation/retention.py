"""What evaluation keeps, declared to crm.retention: memo, self-assessment, xAPI pushes.

The evaluators' grading rows belong here too, declared the same way (`attempt_rows`).
"""

from __future__ import annotations

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
