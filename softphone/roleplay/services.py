"""The live role-play: a trainer or an evaluator takes a customer's part and speaks or writes.

Who may play: any trainer or evaluator, on any shift — the same rule as running and watching
the room (any trainer runs any shift; evaluators watch every room). Who may speak on a call or
write in a conversation: only the role-player who took it. Each turn goes through the phone's
and the inbox's own services and is recorded in the attempt's log with the role-player as actor
(role `customer`), so the evaluator sees who played; taking a customer is recorded as
`roleplay.taken` (actor: the role-player, in their own role).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import channels, clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.training.locking import lock_attempt
from crm.training.models import Attempt
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.receiving import Received, receive_message
from softphone.phone.agent import load_agent
from softphone.phone.calls import add_turn, busy, call_ctx, end_call, release_if_qualified
from softphone.phone.customer import MAX_TURN
from softphone.phone.models import Call
from softphone.roleplay.models import RolePlay
from softphone.scenarios.played import taken_over

#: Call statuses in which the customer is still on the line (or about to be).
LIVE_CALL = ("ringing", "on_call", "on_hold")
MAX_MESSAGE = 20000


@dataclass(frozen=True)
class Taken:
    """A customer taken by a role-player (`new`: taken now, not already theirs)."""

    role_play: RolePlay
    new: bool


def claim_of(call: Call | None = None, conversation: Conversation | None = None):
    """The role-play of a call or a conversation, if someone took it."""
    column, value = (
        (RolePlay.call_id, call.id)
        if call is not None
        else (RolePlay.conversation_id, conversation.id)
    )
    return db.session.scalar(sa.select(RolePlay).where(column == value))


def _running(attempt: Attempt) -> None:
    """A customer is played in an active attempt of a running or paused shift only."""
    if attempt.status != "active" or attempt.shift.status not in ("running", "paused"):
        raise Conflict(
            _("Cette tentative n'est pas en cours : personne n'y joue le client."),
            code="attempt_not_running",
        )


def _call_not_over(call: Call) -> None:
    if call.status not in LIVE_CALL:
        raise Conflict(
            _("Cet appel est terminé : le client ne peut plus y être joué."),
            code="call_over",
            details={"status": call.status},
        )


def _taken_by_other(claim: RolePlay | None, player: User) -> None:
    if claim is not None and claim.player_id != player.id:
        raise Conflict(
            _("%(who)s joue déjà ce client.", who=claim.player.display_name),
            code="taken",
            details={"player": claim.player_dict()},
        )


def _mine(claim: RolePlay | None, player: User) -> RolePlay:
    """The player's own role-play of this customer (409 when not taken, or taken by another)."""
    _taken_by_other(claim, player)
    if claim is None:
        raise Conflict(_("Prenez d'abord ce client avant de jouer son rôle."), code="not_taken")
    return claim


def _text(value, limit: int, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationFailed({field: _("Le texte est vide.")})
    if len(text) > limit:
        raise ValidationFailed({field: _("%(n)s caractères au plus.", n=limit)})
    return text


def _take(attempt: Attempt, player: User, obj, claim, now: datetime, **ids) -> Taken:
    """Record the claim and the `roleplay.taken` action (unless the player already has it)."""
    _taken_by_other(claim, player)
    if claim is not None:
        return Taken(claim, False)
    claim = RolePlay(attempt_id=attempt.id, player_id=player.id, taken_at=now, **ids)
    db.session.add(claim)
    db.session.flush()
    record(Ctx(attempt, player.id, player.role), "roleplay.taken", obj, {**ids})
    return Taken(claim, True)


def take_call(call: Call, player: User, *, now: datetime | None = None) -> Taken:
    """The role-player takes the customer of a call; a scripted customer falls silent."""
    now = now or clock.now()
    attempt = db.session.get(Attempt, call.attempt_id)
    _running(attempt)
    lock_attempt(attempt.id)
    _call_not_over(call)
    taken = _take(attempt, player, call, claim_of(call=call), now, call_id=call.id)
    call.customer_state = taken_over(call.customer_state)
    return taken


def take_conversation(
    conversation: Conversation, player: User, *, now: datetime | None = None
) -> Taken:
    """The role-player takes the customer of a written conversation; its script falls silent."""
    now = now or clock.now()
    attempt = db.session.get(Attempt, conversation.attempt_id)
    _running(attempt)
    lock_attempt(attempt.id)
    claim = claim_of(conversation=conversation)
    taken = _take(attempt, player, conversation, claim, now, conversation_id=conversation.id)
    correspondent = scripted_correspondent(conversation)
    if correspondent is not None:
        correspondent.customer_state = taken_over(correspondent.customer_state)
    return taken


def scripted_correspondent(conversation: Conversation) -> TimelineEvent | None:
    """The timeline item whose scripted customer writes in this conversation, if any."""
    events = db.session.scalars(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == conversation.attempt_id,
            TimelineEvent.kind.in_(channels.names(written=True)),
            TimelineEvent.customer_state.is_not(None),
        )
    )
    return next(
        (e for e in events if (e.customer_state or {}).get("conversation_id") == conversation.id),
        None,
    )


def _customer(attempt: Attempt, player: User, call: Call) -> Ctx:
    """The customer's context, with the role-player as the actor behind it."""
    return call_ctx(Ctx(attempt, player.id, "customer"), call)


def customer_say(call: Call, player: User, text, *, now: datetime | None = None) -> Call:
    """The customer's turn on a call, typed by its role-player (`call.customer_said`)."""
    now = now or clock.now()
    text = _text(text, MAX_TURN, "text")
    attempt = db.session.get(Attempt, call.attempt_id)
    _running(attempt)
    lock_attempt(attempt.id)
    _mine(claim_of(call=call), player)
    _call_not_over(call)
    if call.status != "on_call":
        raise Conflict(
            _("Le conseiller ne vous entend pas : l'appel n'est pas en conversation."),
            code="call_not_connected",
            details={"status": call.status},
        )
    with busy():
        add_turn(call, "customer", text, now)
        db.session.flush()
        record(
            _customer(attempt, player, call),
            "call.customer_said",
            call,
            {"call_id": call.id, "text": text, "played_by": player.username},
        )
    return call


def customer_hang_up(call: Call, player: User, *, now: datetime | None = None) -> Call:
    """The customer hangs up, as its role-player decides (`call.ended` by the customer)."""
    now = now or clock.now()
    attempt = db.session.get(Attempt, call.attempt_id)
    _running(attempt)
    lock_attempt(attempt.id)
    _mine(claim_of(call=call), player)
    _call_not_over(call)
    if call.status == "ringing":
        raise Conflict(
            _("L'appel n'est pas encore décroché."),
            code="call_not_connected",
            details={"status": call.status},
        )
    agent = load_agent(attempt.id)
    ctx = _customer(attempt, player, call)
    with busy():
        timings = end_call(call, agent, "hang_up", "customer", now)
        record(ctx, "call.ended", call, {**timings, "by": "customer", "played_by": player.username})
        release_if_qualified(ctx, agent, call, now)
    return call


def customer_write(
    conversation: Conversation, player: User, body, *, now: datetime | None = None
) -> Received:
    """The customer's next message in a written conversation, written by its role-player."""
    now = now or clock.now()
    text = _text(body, MAX_MESSAGE, "body")
    attempt = db.session.get(Attempt, conversation.attempt_id)
    _running(attempt)
    lock_attempt(attempt.id)
    _mine(claim_of(conversation=conversation), player)
    return receive_message(
        Ctx(attempt, player.id, "customer"),
        conversation.channel,
        conversation.party,
        text,
        subject=conversation.subject or None,
        language=conversation.language,
        now=now,
    )
