"""The room's pages: a shift's live wallboard, a candidate's desk over the shoulder, injections.

The pages are shells that `static/js/room.js` and `static/js/shoulder.js` fill from the JSON
API and keep current from the `/room` Socket.IO namespace; injecting is a plain form (CSRF).
Evaluators see the room and the desks; only trainers inject.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm import channels
from crm.auth.access import role_required
from crm.auth.models import Role, User
from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.staff import runs_shift
from crm.web.boundary import refused, unit_of_work
from softphone.room.forms import FREE, InjectForm
from softphone.room.injection import inject_event, scripted_events
from softphone.room.texts import room_texts

bp = Blueprint("room", __name__, url_prefix="/room")

#: Form fields that carry the service's field names (the service validates).


def _shift(shift_id: int) -> Shift:
    """The shift, if it exists (404) and the person runs it (403)."""
    shift = db.session.get(Shift, shift_id) or abort(404)
    if not runs_shift(current_user, shift):
        abort(403)
    return shift


def _inject_form(shift: Shift, *, formdata=True) -> InjectForm:
    kwargs = {} if formdata else {"formdata": None}
    form = InjectForm(**kwargs)
    form.attempt.choices = [
        (attempt_id, name)
        for attempt_id, name in db.session.execute(
            sa.select(Attempt.id, User.display_name)
            .join(User, Attempt.candidate_id == User.id)
            .where(Attempt.shift_id == shift.id, Attempt.status == "active")
            .order_by(User.display_name)
        )
    ]
    form.event.choices = [(FREE, _("— événement libre (décrit ci-dessous) —"))] + [
        (
            e.key,
            " · ".join(
                p for p in (e.at, channels.kind_icon(e.kind), e.persona or e.party, e.key) if p
            ),
        )
        for e in scripted_events(shift.scenario)
    ]
    return form


def _page(shift: Shift, form: InjectForm | None = None, status: int = 200):
    trainer = current_user.role == Role.TRAINER
    if trainer and form is None:
        form = _inject_form(shift, formdata=False)
    return render_template(
        "room/room.html",
        shift=shift,
        form=form if trainer else None,
        events=[e.to_dict() for e in scripted_events(shift.scenario)],
        texts=room_texts(),
    ), status


@bp.route("/<int:shift_id>")
@role_required("trainer", "evaluator")
def show(shift_id: int):
    """The live room of a shift: one tile per candidate, kept current by Socket.IO."""
    return _page(_shift(shift_id))


@bp.route("/<int:shift_id>/inject", methods=["POST"])
@role_required("trainer")
@unit_of_work
def inject(shift_id: int):
    """Inject a scripted or free event into one candidate's attempt."""
    shift = _shift(shift_id)
    form = _inject_form(shift)
    if not form.validate_on_submit():
        return _page(shift, form, 422)
    attempt = db.session.get(Attempt, form.attempt.data)
    if attempt is None or attempt.shift_id != shift.id:
        abort(404)
    free = form.event.data == FREE
    # A message without a field of its own is shown under the event's text.
    with refused(form, rest=form.body) as refusal:
        injected = inject_event(
            attempt,
            current_user,
            event=None if free else form.event.data,
            kind=form.kind.data if free else None,
            party=form.party.data if free else None,
            body=form.body.data if free else None,
            subject=form.subject.data if free else None,
        )
    if refusal.fields:
        return _page(shift, form, 422)
    if refusal:
        return _page(shift, form, 409)
    who = attempt.candidate.display_name
    if injected.call is not None:
        flash(
            _("Le téléphone de %(who)s sonne (%(number)s).", who=who, number=injected.call.number),
            "success",
        )
    else:
        flash(
            _(
                "Message déposé dans la boîte de %(who)s (%(channel)s, de %(party)s).",
                who=who,
                channel=injected.conversation.channel,
                party=injected.conversation.party,
            ),
            "success",
        )
    return redirect(url_for("room.show", shift_id=shift.id))


@bp.route("/attempts/<int:attempt_id>")
@role_required("trainer", "evaluator")
def shoulder(attempt_id: int):
    """A candidate's desk over the shoulder: phone, transcript, inbox, read-only."""
    attempt = db.session.get(Attempt, attempt_id) or abort(404)
    if not runs_shift(current_user, attempt.shift):
        abort(403)
    return render_template("room/shoulder.html", attempt=attempt, texts=room_texts())
