"""The evaluator's timeline page (`bench.timeline`, at /attempts/<id>/timeline): an attempt's
actions in order, filtered by verb family, channel and contact, with call transcripts inline and
the notes evaluators pinned on actions."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from crm.actionlog.services import verify_chain
from crm.actionlog.verbs import FAMILIES, VERBS
from crm.auth.access import role_required
from crm.bench.payload_view import (
    Context,
    client_names,
    object_label,
    self_assessment_grid,
    shown_fields,
)
from crm.bench.timeline import CHANNELS, SPOKEN, WRITTEN, build_timeline, timeline_args
from crm.bench.views import bp
from crm.db import db
from crm.evaluation.marking.services import notes_of
from crm.evaluation.standards import StandardNotFound, get_standard
from crm.training.models import Attempt


def _criterion_asked():
    """The (standard, criterion) the evaluator came from, for the link back to the grid."""
    try:
        standard = get_standard(request.args.get("standard", ""))
    except StandardNotFound:
        return None, None
    return standard, standard.criterion(request.args.get("criterion", ""))


@bp.route("/attempts/<int:attempt_id>/timeline")
@role_required("trainer", "evaluator")
def timeline(attempt_id: int):
    """Every action of the attempt, oldest first, with the chain's verdict and pinned notes."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    shown = build_timeline(attempt.id, request.args)
    standard, criterion = _criterion_asked()
    shown_ctx = Context(attempt.id, client_names(attempt.id, shown.actions))
    return render_template(
        "bench/timeline.html",
        attempt=attempt,
        timeline=shown,
        actions=shown.actions,
        filters=shown.filters,
        families=FAMILIES,
        channels=CHANNELS,
        spoken=SPOKEN,
        written=WRITTEN,
        verbs=VERBS,
        notes=notes_of(attempt.id, current_user.id),
        back_args=timeline_args(request.args),
        standard=standard,
        criterion=criterion,
        chain=verify_chain(attempt),
        payload_fields=lambda action, skip=(): shown_fields(action, shown_ctx, skip),
        self_assessment_grid=self_assessment_grid,
        object_label=object_label,
        filtered_client=shown_ctx.clients.get(shown.filters.client),
    )
