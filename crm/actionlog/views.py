"""The evaluator's first timeline: an attempt's actions in order, filtered by verb family."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request

from crm.actionlog.models import Action
from crm.actionlog.services import verify_chain
from crm.actionlog.verbs import FAMILIES, VERBS
from crm.auth.access import role_required
from crm.db import db
from crm.training.models import Attempt

bp = Blueprint("actionlog", __name__, url_prefix="/attempts")


@bp.route("/<int:attempt_id>/timeline")
@role_required("trainer", "evaluator")
def timeline(attempt_id: int):
    """Every action of the attempt, oldest first, with the chain's verdict."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    family = request.args.get("family", "")
    query = sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    if family in FAMILIES:
        query = query.where(Action.verb.in_([v.name for v in VERBS.values() if v.family == family]))
    else:
        family = ""
    actions = db.session.scalars(query).all()
    return render_template(
        "actionlog/timeline.html",
        attempt=attempt,
        actions=actions,
        families=FAMILIES,
        family=family,
        verbs=VERBS,
        chain=verify_chain(attempt),
    )
