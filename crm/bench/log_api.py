"""API for evaluators and trainers: an attempt's action log and its chain check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from crm.actionlog.models import Action
from crm.actionlog.serialize import chain_report_dict, verb_dict
from crm.actionlog.services import verify_chain
from crm.actionlog.verbs import VERBS
from crm.web.api import attempt_or_404, listing, make_api_blueprint, page_args, roles
from crm.web.openapi import doc

bp = make_api_blueprint("actionlog_api", __name__, operation_prefix="")


@bp.get("/attempts/<int:attempt_id>/actions")
@roles("trainer", "evaluator")
@doc(
    tag="Evaluator",
    query={"family?": "search", "verb?": "search", "limit?": "integer", "offset?": "integer"},
)
def attempt_actions(attempt_id):
    """The attempt's actions in order, with their hashes."""
    attempt = attempt_or_404(attempt_id)
    limit, offset = page_args()
    query = sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    family = request.args.get("family")
    if family:
        query = query.where(Action.verb.in_([v.name for v in VERBS.values() if v.family == family]))
    if request.args.get("verb"):
        query = query.where(Action.verb == request.args["verb"])
    return listing(query, Action.to_dict, limit, offset)


@bp.get("/attempts/<int:attempt_id>/verify")
@roles("trainer", "evaluator")
@doc(tag="Evaluator")
def attempt_verify(attempt_id):
    """Recompute the attempt's hash chain; it must also end at the attempt's head and pass
    through every head sealed at sign-off (`valid` false, `reason` naming the seal, otherwise)."""
    report = verify_chain(attempt_or_404(attempt_id))
    return jsonify(chain_report_dict(report))


@bp.get("/verbs")
@doc(tag="Evaluator")
def verbs():
    """The verb catalog."""
    items = [verb_dict(v) for v in VERBS.values()]
    return jsonify({"items": items, "total": len(items)})
