"""API for the candidate at the end of the shift: the memo and the self-assessment grid.

The candidate acts in the attempt they report on (crm.evaluation.candidate_report.closing_attempt):
their current one, or the one of a shift that ended less than the grace period ago.
"""

from __future__ import annotations

from flask import jsonify

from crm.api.core import bp, commit_and, json_body, roles
from crm.api.docs import doc, text
from crm.evaluation.candidate_report import (
    BODY_MAX,
    SUBJECT_MAX,
    memo_dict,
    memo_of,
    parse_entries,
    save_self_assessment,
    self_assessment_dict,
    send_memo,
    standard_for,
    submit_self_assessment,
)
from crm.web.context import report_ctx


@bp.get("/memo")
@roles("candidate")
@doc(tag="Candidate report")
def memo_get():
    """The memo sent to the supervisor, or null while it is not sent."""
    ctx = report_ctx()
    return jsonify({"attempt_id": ctx.attempt.id, "memo": memo_dict(memo_of(ctx.attempt))})


@bp.post("/memo/send")
@roles("candidate")
@doc(
    tag="Candidate report", body={"subject": text(SUBJECT_MAX), "body": text(BODY_MAX)}, status=201
)
def memo_send():
    """Send the memo to the supervisor (once; 409 memo_already_sent afterwards)."""
    ctx = report_ctx()
    data = json_body()
    memo = send_memo(ctx, data.get("subject"), data.get("body"))
    return commit_and({"attempt_id": ctx.attempt.id, "memo": memo_dict(memo)}, 201)


@bp.get("/self-assessment")
@roles("candidate")
@doc(tag="Candidate report")
def self_assessment_get():
    """The self-assessment grid of the shift's standard: status and every criterion's grade."""
    ctx = report_ctx()
    return jsonify(self_assessment_dict(ctx.attempt, standard_for(ctx.attempt)))


@bp.put("/self-assessment")
@roles("candidate")
@doc(tag="Candidate report", body={"grades": "array"})
def self_assessment_put():
    """Save the draft: `grades` [{criterion, grade, comment?}] replaces what was saved."""
    ctx = report_ctx()
    standard = standard_for(ctx.attempt)
    entries = parse_entries(json_body().get("grades"), standard)
    save_self_assessment(ctx, entries)
    return commit_and(self_assessment_dict(ctx.attempt, standard))


@bp.post("/self-assessment/submit")
@roles("candidate")
@doc(tag="Candidate report")
def self_assessment_submit():
    """Hand in the saved grid (422 naming each criterion left without a grade; then 409)."""
    ctx = report_ctx()
    standard = standard_for(ctx.attempt)
    submit_self_assessment(ctx)
    return commit_and(self_assessment_dict(ctx.attempt, standard))
