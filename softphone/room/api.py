"""API of the trainer's room: the live tiles, the over-the-shoulder desk, events on demand.

Its own blueprint under /api/v1 from the JSON kit (`crm.web.api`), as every feature's.
"""

from __future__ import annotations

from flask import g, jsonify

from crm import clock
from crm.db import db
from crm.errors import NotFound
from crm.training.models import Attempt, Shift
from crm.training.staff import require_runs
from crm.validation import Fields
from crm.web.api import commit_and, json_body, make_api_blueprint, roles
from crm.web.openapi import doc, one_of, text
from softphone.inbox.schemas import conversation_dict, message_dict
from softphone.phone.serialize import call_dict
from softphone.room.injection import KINDS, inject_event, scripted_events
from softphone.room.live import live_room
from softphone.room.shoulder import desk_snapshot

bp = make_api_blueprint("room_api", __name__)


def _shift(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    return require_runs(g.api_user, shift)


def _attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    require_runs(g.api_user, attempt.shift)
    return attempt


@bp.get("/shifts/<int:shift_id>/live")
@roles("trainer", "evaluator")
@doc(tag="Room")
def shift_live(shift_id):
    """The room of a shift: one item per active attempt, as the trainer's wallboard shows it.

    Each item: `attempt_id`, `candidate` {id, username, display_name}, `phone` {state, since,
    pause_reason}, `current` (the call on the line — customer, since, on_hold, hold_seconds —
    or the conversation being worked, else null), `counts` {actions, to_qualify, qualified,
    waiting_messages, overdue_messages, queued_calls}, `last_action` {verb, label, at,
    actor_role}, `wrap_up` {started_at, max_seconds} during after-call work, and `alerts`
    [{code: wrap_up_over / customer_waiting / messages_overdue / idle, level, message, since}].
    Also `shift`, `now` and the alert `thresholds` (seconds). Nothing is recorded.
    """
    room = live_room(_shift(shift_id), clock.now())
    return jsonify(room.to_dict())


@bp.get("/shifts/<int:shift_id>/events")
@roles("trainer", "evaluator")
@doc(tag="Room")
def shift_scripted_events(shift_id):
    """The scenario's timeline items a trainer may inject: key, kind, at, party, persona…"""
    items = [e.to_dict() for e in scripted_events(_shift(shift_id).scenario)]
    return jsonify({"items": items, "total": len(items)})


@bp.get("/attempts/<int:attempt_id>/desk")
@roles("trainer", "evaluator")
@doc(tag="Room")
def attempt_desk(attempt_id):
    """Over the shoulder: the candidate's phone, call transcript and inbox, read-only.

    Reading it records nothing in the candidate's log and marks no message read.
    """
    return jsonify(desk_snapshot(_attempt(attempt_id), clock.now()))


@bp.post("/attempts/<int:attempt_id>/inject")
@roles("trainer")
@doc(
    tag="Room",
    status=201,
    body={
        "event?": text(100),
        "kind?": one_of(*KINDS),
        "party?": text(160),
        "body?": text(20000),
        "subject?": text(200),
        "language?": one_of("fr", "en"),
    },
    responses={
        409: "The attempt's shift is not running or paused (`attempt_not_running`), or the "
        "phone cannot ring now (`invalid_transition`, `open_contact`)"
    },
)
def attempt_inject(attempt_id):
    """Make the candidate's phone ring, or drop an email, SMS or chat into their inbox.

    Either `event`, the key of one of the scenario's timeline items (`GET
    /shifts/{id}/events`: its persona and script play the customer), or a free event: `kind`
    (call, email, sms, chat), `party` (a phone number for call and sms, an address for email,
    the visitor for chat), `body` (the message; for a call, the customer's first line,
    optional), `subject` (emails), `language` (fr, en). Recorded in the attempt's log as
    `trainer.injected` with the trainer as actor. 409 `attempt_not_running` when the attempt's
    shift is not running or paused, 409 `invalid_transition` / `open_contact` when the phone
    cannot ring now; 422 names each bad field.
    """
    attempt = _attempt(attempt_id)
    fields = Fields(json_body())
    event = fields.text("event", required=False, max_length=100)
    kind = fields.text("kind", required=event is None, max_length=10, choices=set(KINDS))
    party = fields.text("party", required=False, max_length=160)
    body = fields.text("body", required=False, max_length=20000)
    subject = fields.text("subject", required=False, max_length=200)
    language = fields.text("language", required=False, default="fr", choices={"fr", "en"})
    fields.done()
    injected = inject_event(
        attempt,
        g.api_user,
        event=event,
        kind=kind,
        party=party,
        body=body,
        subject=subject,
        language=language,
    )
    answer = {"action": injected.action.to_dict(), "call": None, "conversation": None}
    if injected.call is not None:
        answer["call"] = call_dict(injected.call, clock.now())
    else:
        answer["conversation"] = conversation_dict(injected.conversation)
        answer["message"] = message_dict(injected.message)
    return commit_and(answer, 201)
