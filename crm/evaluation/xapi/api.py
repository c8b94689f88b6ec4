"""API for evaluators and trainers: an attempt's xAPI statements and their push to the LRS."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify

from crm.db import db
from crm.evaluation.xapi.models import XapiPush
from crm.evaluation.xapi.services import push_statements
from crm.evaluation.xapi.statements import StatementBuilder, actions_query, registration
from crm.web.api import attempt_or_404, commit_and, listing, make_api_blueprint, page_args, roles
from crm.web.openapi import doc

bp = make_api_blueprint("xapi_api", __name__, operation_prefix="")


@bp.get("/attempts/<int:attempt_id>/xapi")
@roles("trainer", "evaluator")
@doc(tag="Evaluator", query={"limit?": "integer", "offset?": "integer"})
def attempt_xapi(attempt_id):
    """The attempt's xAPI 1.0.3 statements, one per action, in log order."""
    attempt = attempt_or_404(attempt_id)
    limit, offset = page_args()
    query = actions_query(attempt)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    actions = db.session.scalars(query.limit(limit).offset(offset))
    items = StatementBuilder(attempt).statements(actions)
    return jsonify({"items": items, "total": total, "registration": registration(attempt)})


@bp.post("/attempts/<int:attempt_id>/xapi/push")
@roles("trainer", "evaluator")
@doc(
    tag="Evaluator",
    responses={
        502: "The LRS could not be reached or refused (lrs_unreachable, lrs_refused, "
        "lrs_bad_answer)",
        503: "No LRS configured (lrs_not_configured), or busy: a database lock was not had "
        "in time (busy; retry after Retry-After seconds)",
    },
)
def attempt_xapi_push(attempt_id):
    """Send the attempt's statements to the configured LRS (502 with the LRS's words on failure)."""
    attempt = attempt_or_404(attempt_id)
    registration_id = registration(attempt)
    push = push_statements(attempt, g.api_user)
    return commit_and({"push": push.to_dict(), "registration": registration_id})


@bp.get("/attempts/<int:attempt_id>/xapi/pushes")
@roles("trainer", "evaluator")
@doc(tag="Evaluator", query={"limit?": "integer", "offset?": "integer"})
def attempt_xapi_pushes(attempt_id):
    """The attempt's successful pushes to the LRS, latest first."""
    attempt = attempt_or_404(attempt_id)
    limit, offset = page_args()
    query = (
        sa.select(XapiPush).where(XapiPush.attempt_id == attempt.id).order_by(XapiPush.id.desc())
    )
    return listing(query, XapiPush.to_dict, limit, offset)
