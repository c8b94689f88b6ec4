"""What every call service shares: timers, the transcript, the call's context, ending a call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import datetime

from crm.actionlog.services import Ctx
from crm.contacts.models import Contact
from crm.contacts.services import find_open_contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed, next_status
from crm.i18n import _
from crm.phones import to_e164
from softphone.phone.agent import finish_wrap_up, move_agent, seconds_between
from softphone.phone.models import AgentState, Call, CallTurn
from softphone.phone.states import CALL_TRANSITIONS
from softphone.scenarios import validate_script

#: True while a softphone service runs: the actions it records (and those of the crm services
#: it calls, like contact.opened) are its own doing, not something the customer reacts to.
_busy: ContextVar[bool] = ContextVar("softphone_busy", default=False)


@contextmanager
def busy() -> Iterator[None]:
    """Mark the current context as inside a softphone service."""
    token = _busy.set(True)
    try:
        yield
    finally:
        _busy.reset(token)


def is_busy() -> bool:
    """Whether a softphone service is running in this context."""
    return _busy.get()


def e164_or_422(raw) -> str:
    """The number in E.164, or 422 on `number`."""
    number = to_e164(raw)
    if number is None:
        raise ValidationFailed(
            {"number": "Numéro attendu, par exemple 04 78 12 34 56 ou +44 20 7946 0000."}
        )
    return number


def checked_script(script: dict | None) -> dict | None:
    """The scripted customer of a call, or 422 on `script` listing its first problems."""
    if script is None:
        return None
    problems = validate_script(script)
    if problems:
        raise ValidationFailed(
            {
                "script": _(
                    "Script invalide : %(problems)s",
                    problems=" ; ".join(str(p) for p in problems[:10]),
                )
            }
        )
    return script


def no_open_contact(ctx: Ctx) -> None:
    """409 contact_not_qualified while the last contact is not qualified."""
    contact = find_open_contact(ctx.attempt.id)
    if contact is not None:
        raise Conflict(
            "Qualifiez d'abord le contact en cours avant un nouvel appel.",
            code="contact_not_qualified",
            details={"contact_id": contact.id},
        )


def ensure_current(agent: AgentState | None, call: Call) -> AgentState:
    """The agent whose current call this is (409 for a call that is not on the agent's line)."""
    if agent is None or agent.current_call_id != call.id:
        raise Conflict(
            "Cet appel n'est pas sur votre ligne.",
            code="call_not_current",
            details={"call_id": call.id},
        )
    return agent


def call_ctx(ctx: Ctx, call: Call) -> Ctx:
    """The caller's context with the call's contact as the interaction in progress."""
    return replace(ctx, interaction=("contact", call.contact_id)) if call.contact_id else ctx


def customer_ctx(ctx: Ctx, call: Call) -> Ctx:
    """The context in which the scripted customer speaks and acts."""
    return replace(call_ctx(ctx, call), actor_id=None, actor_role="customer")


def hold_total(call: Call, now: datetime) -> float:
    """Hold time so far, including a hold in progress."""
    return round(call.hold_seconds + seconds_between(call.hold_started_at, now), 3)


def talk_seconds(call: Call, now: datetime) -> float:
    """Connected time minus hold time (0 before the answer)."""
    if call.answered_at is None:
        return 0.0
    end = call.ended_at or now
    return max(0.0, round(seconds_between(call.answered_at, end) - hold_total(call, end), 3))


def add_turn(call: Call, speaker: str, text: str, at: datetime) -> CallTurn:
    """Append a line to the call's transcript."""
    turn = CallTurn(attempt_id=call.attempt_id, speaker=speaker, text=text, at=at)
    call.turns.append(turn)  # the cascade adds it to the session
    return turn


def end_call(call: Call, agent: AgentState, event: str, by: str, now: datetime) -> dict:
    """Hang up or transfer: close a hold, stop the call, put the agent in wrap-up; timings."""
    status = next_status(CALL_TRANSITIONS, "call", call.status, event)
    move_agent(agent, "hang_up", now)
    if call.hold_started_at is not None:
        call.hold_seconds = hold_total(call, now)
        call.hold_started_at = None
    call.status, call.ended_at, call.ended_by = status, now, by
    call.wrap_up_started_at = now
    db.session.flush()
    return {
        "call_id": call.id,
        "number": call.number,
        "client_id": call.client_id,
        "talk_seconds": talk_seconds(call, now),
        "hold_seconds": call.hold_seconds,
        "hold_count": call.hold_count,
        "duration_seconds": seconds_between(call.answered_at or call.offered_at, now),
        "agent_state": agent.state,
    }


def release_if_qualified(ctx: Ctx, agent: AgentState, call: Call, now: datetime) -> None:
    """A contact qualified before the hang-up leaves no after-call work: ready at once."""
    contact = db.session.get(Contact, call.contact_id) if call.contact_id else None
    if contact is not None and contact.qualified_at is not None:
        finish_wrap_up(call_ctx(ctx, call), agent, call, now, cause="already_qualified")
