"""The scripted customer on the line: what the candidate says, and what the customer answers.

The engine (`softphone.scenarios`) is pure; this module feeds it the call's events — the
candidate's turns, the actions recorded in the attempt while the call is connected, the clock's
ticks — records the customer's lines as turns and `call.customer_said` actions, and ends the
call when the customer hangs up. Its state lives on `Call.customer_state`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.training.models import Attempt
from softphone.phone.agent import load_agent
from softphone.phone.calls import (
    add_turn,
    busy,
    call_ctx,
    customer_ctx,
    end_call,
    is_busy,
    release_if_qualified,
)
from softphone.phone.models import AgentState, Call
from softphone.scenarios import Engine, Reply
from softphone.scenarios.played import played_live

MAX_TURN = 2000
#: Actions the customer never reacts to: the phone's own, and the customer's.
_OWN_PREFIXES = ("call.", "agent.")


@dataclass(frozen=True)
class SayResult:
    """The candidate's turn and what the customer answered."""

    call: Call
    replies: list[str]
    #: The customer hung up after answering.
    ended: bool = False


def _engine(call: Call, now: datetime) -> Engine | None:
    """The call's scripted customer, resumed at `now` (None for a call without script)."""
    state = call.customer_state or {}
    if not state.get("script") or played_live(state):
        return None
    return Engine(state["script"], lambda: now, state.get("engine"))


def _save(call: Call, engine: Engine) -> None:
    """Keep the engine's state on the call."""
    # A new dict, so that SQLAlchemy sees the JSON column change.
    call.customer_state = {**call.customer_state, "engine": dict(engine.state)}


def speak(ctx: Ctx, call: Call, agent: AgentState, reply: Reply, now: datetime) -> list[str]:
    """Record the customer's lines; end the call if the customer hangs up."""
    who = customer_ctx(ctx, call)
    for line in reply.lines:
        add_turn(call, "customer", line, now)
        db.session.flush()
        record(who, "call.customer_said", call, {"call_id": call.id, "text": line})
    if reply.hang_up and call.status in ("on_call", "on_hold"):
        timings = end_call(call, agent, "hang_up", "customer", now)
        record(who, "call.ended", call, {**timings, "by": "customer", "outcome": reply.outcome})
        release_if_qualified(ctx, agent, call, now)
    return list(reply.lines)


def start_customer(ctx: Ctx, call: Call, agent: AgentState, now: datetime) -> list[str]:
    """The customer's opening lines when the call connects."""
    engine = _engine(call, now)
    if engine is None:
        return []
    reply = engine.start()
    _save(call, engine)
    return speak(ctx, call, agent, reply, now)


def resume_customer(ctx: Ctx, call: Call, agent: AgentState, now: datetime) -> list[str]:
    """Back from hold: the customer reacts to what was done meanwhile."""
    engine = _engine(call, now)
    if engine is None:
        return []
    reply = engine.on_resume()
    _save(call, engine)
    return speak(ctx, call, agent, reply, now)


def say(ctx: Ctx, call: Call, text: str, *, now: datetime | None = None) -> SayResult:
    """The candidate's turn (`call.said`), and the customer's answer if the script has one."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise ValidationFailed({"text": "Dites quelque chose."})
    if len(text) > MAX_TURN:
        raise ValidationFailed({"text": f"{MAX_TURN} caractères au plus."})
    if call.status != "on_call":
        raise Conflict(
            "Le client ne vous entend pas : l'appel n'est pas en conversation.",
            code="call_not_connected",
            details={"status": call.status},
        )
    agent = load_agent(ctx.attempt.id)
    with busy():
        add_turn(call, "agent", text, now)
        db.session.flush()
        record(call_ctx(ctx, call), "call.said", call, {"call_id": call.id, "text": text})
        engine = _engine(call, now)
        if engine is None:
            return SayResult(call, [])
        reply = engine.on_said(text)
        _save(call, engine)
        replies = speak(ctx, call, agent, reply, now)
    return SayResult(call, replies, ended=call.status == "ended")


def tick_call(ctx: Ctx, call: Call, *, now: datetime | None = None) -> list[str]:
    """Time passed on a connected call (the scenario clock calls this): nudges, or giving up."""
    now = now or clock.now()
    check_attempt(ctx, call, label="Appel")
    engine = _engine(call, now) if call.status == "on_call" else None
    if engine is None:
        return []
    with busy():
        reply = engine.on_tick()
        _save(call, engine)
        return speak(ctx, call, load_agent(ctx.attempt.id), reply, now)


def react_to_action(action) -> None:
    """Receiver of `action_recorded`: the customer on a connected call hears what was done."""
    if is_busy() or action.verb.startswith(_OWN_PREFIXES) or action.actor_role == "customer":
        return
    agent = load_agent(action.attempt_id)
    if agent is None or agent.state not in ("on_call", "on_hold") or not agent.current_call_id:
        return
    call = db.session.get(Call, agent.current_call_id)
    now = clock.now()
    engine = _engine(call, now) if call is not None else None
    if engine is None:
        return
    seen = {
        "verb": action.verb,
        "payload": action.payload or {},
        "object_type": action.object_type,
        "object_id": action.object_id,
    }
    if call.status == "on_hold":
        # On hold the customer hears nothing: it counts when the candidate comes back.
        engine.remember(seen)
        _save(call, engine)
        return
    reply = engine.on_action(seen)
    _save(call, engine)
    if reply.lines or reply.hang_up:
        attempt = db.session.get(Attempt, action.attempt_id)
        ctx = Ctx(attempt, action.actor_id, action.actor_role)
        with busy():
            speak(ctx, call, agent, reply, now)
