"""API of the role-player console: customers waiting, taking one, its turns, its hang-up.

Its own blueprint under /api/v1 from the JSON kit (`crm.web.api`), as every feature's.
Trainers and evaluators only; candidates get 403.
"""

from __future__ import annotations

from flask import g, jsonify

from crm import clock
from crm.db import db
from crm.errors import NotFound
from crm.training.models import Shift
from crm.training.staff import require_runs, require_runs_attempt
from crm.validation import Fields
from crm.web.api import commit_and, json_body, make_api_blueprint, roles
from crm.web.openapi import doc, text
from softphone.inbox.models import Conversation
from softphone.inbox.schemas import message_dict
from softphone.phone.customer import MAX_TURN
from softphone.phone.models import Call
from softphone.roleplay import services
from softphone.roleplay.board import call_for_player, conversation_for_player, waiting

bp = make_api_blueprint("roleplay_api", __name__)

PLAYERS = ("trainer", "evaluator")
_REFUSALS = {
    403: "a candidate, or a trainer or evaluator who does not run the call's shift",
    404: "no such call, conversation or shift",
    409: "call_over, taken (by another role-player: `player`), not_taken, call_not_connected,"
    " attempt_not_running",
}


def _call(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound("Appel introuvable.")
    require_runs_attempt(g.api_user, call.attempt_id)
    return call


def _conversation(conversation_id: int) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None:
        raise NotFound("Conversation introuvable.")
    require_runs_attempt(g.api_user, conversation.attempt_id)
    return conversation


def _text(name: str, limit: int) -> str:
    """The typed text, present and within its limit (422 naming the field)."""
    fields = Fields(json_body())
    value = fields.text(name, max_length=limit)
    fields.done()
    return value


@bp.get("/shifts/<int:shift_id>/roleplay")
@roles(*PLAYERS)
@doc(tag="Role-play", responses={403: "a candidate", 404: "no such shift"})
def shift_roleplay(shift_id):
    """The customers of a shift a role-player may play: calls ringing or connected, open
    conversations, per candidate, each with who plays it (`player`, or null), `scripted`
    (its script still plays it) and `customer_turn`. Nothing is recorded.
    """
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("Séance introuvable.")
    require_runs(g.api_user, shift)
    items = waiting(shift, clock.now())
    return jsonify(
        {"shift": {"id": shift.id, "mode": shift.mode}, "items": items, "total": len(items)}
    )


@bp.get("/roleplay/calls/<int:call_id>")
@roles(*PLAYERS)
@doc(tag="Role-play", responses={403: "a candidate", 404: "no such call"})
def roleplay_call(call_id):
    """A call as its role-player sees it: two-sided transcript, the persona the scenario gives
    the customer, the customer's client file (read-only: nothing recorded) and who plays it.
    """
    return jsonify(call_for_player(_call(call_id), clock.now()))


@bp.post("/roleplay/calls/<int:call_id>/take")
@roles(*PLAYERS)
@doc(tag="Role-play", responses=_REFUSALS)
def call_take(call_id):
    """Take the customer's part on a call (recorded as `roleplay.taken`; again: no change).

    A scripted customer falls silent from then on. 409 `taken` when another role-player has
    it (naming them in `player`), `call_over` when the call has ended.
    """
    call = _call(call_id)
    services.take_call(call, g.api_user)
    return commit_and(call_for_player(call, clock.now()))


@bp.post("/calls/<int:call_id>/customer-say")
@roles(*PLAYERS)
@doc(
    tag="Role-play",
    body={"text": text(MAX_TURN)},
    responses={
        **_REFUSALS,
        422: f"`text` empty or longer than {MAX_TURN} characters",
    },
)
def call_customer_say(call_id):
    """The customer's turn, typed by the role-player who took the call.

    Added to the transcript and recorded as `call.customer_said` with the role-player as
    actor (role `customer`); the candidate's desk hears it at once. 409 `not_taken` / `taken`
    for a call that is not yours, `call_over`, `call_not_connected` (ringing, on hold).
    """
    call = _call(call_id)
    said = _text("text", MAX_TURN)
    services.customer_say(call, g.api_user, said)
    return commit_and(call_for_player(call, clock.now()))


@bp.post("/calls/<int:call_id>/customer-hangup")
@roles(*PLAYERS)
@doc(tag="Role-play", responses=_REFUSALS)
def call_customer_hangup(call_id):
    """The customer hangs up (`call.ended`, by the customer); the candidate goes to wrap-up."""
    call = _call(call_id)
    services.customer_hang_up(call, g.api_user)
    return commit_and(call_for_player(call, clock.now()))


@bp.get("/roleplay/conversations/<int:conversation_id>")
@roles(*PLAYERS)
@doc(tag="Role-play", responses={403: "a candidate", 404: "no such conversation"})
def roleplay_conversation(conversation_id):
    """A written conversation as its role-player sees it: messages, persona, client file."""
    return jsonify(conversation_for_player(_conversation(conversation_id)))


@bp.post("/roleplay/conversations/<int:conversation_id>/take")
@roles(*PLAYERS)
@doc(tag="Role-play", responses=_REFUSALS)
def conversation_take_customer(conversation_id):
    """Take the customer's part in a written conversation (`roleplay.taken`); its script stops."""
    conversation = _conversation(conversation_id)
    services.take_conversation(conversation, g.api_user)
    return commit_and(conversation_for_player(conversation))


@bp.post("/conversations/<int:conversation_id>/customer-reply")
@roles(*PLAYERS)
@doc(
    tag="Role-play",
    status=201,
    body={"body": text(services.MAX_MESSAGE)},
    responses={
        **_REFUSALS,
        422: f"`body` empty, over {services.MAX_MESSAGE} characters or the channel's limit",
    },
)
def conversation_customer_reply(conversation_id):
    """The customer's next message, written by the role-player who took the conversation.

    Received as any customer message (`message.received`, the channel's deadline starts) with
    the role-player as actor (role `customer`) and as the message's author.
    """
    conversation = _conversation(conversation_id)
    body = _text("body", services.MAX_MESSAGE)
    received = services.customer_write(conversation, g.api_user, body)
    answer = conversation_for_player(received.conversation)
    answer["message"] = message_dict(received.message)
    return commit_and(answer, 201)
