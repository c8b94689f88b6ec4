"""The agent's state: logging on and off, pauses, and the return to ready after wrap-up.

Calls move the agent too (ringing, on call, wrap-up); those moves are recorded by the call
verbs, which carry the agent's new state. The agent's own choices are recorded here.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.db import db, transaction_memo
from crm.errors import InvalidTransition, ValidationFailed, next_status
from crm.training.models import Attempt
from softphone.phone.models import AgentState, Call
from softphone.phone.settings import pause_reasons
from softphone.phone.states import AGENT_TRANSITIONS

#: The states a candidate may ask for; the others follow from calls.
CHOSEN_STATES = ("ready", "pause", "offline")
_VERBS = {"log_on": "agent.logged_on", "log_off": "agent.logged_off"}
#: Set while the receiver releases an agent, so its own action does not re-enter it.
_releasing: ContextVar[bool] = ContextVar("softphone_releasing", default=False)


@dataclass(frozen=True)
class AgentChange:
    """A state the agent chose, and the one it left."""

    agent: AgentState
    old: str
    new: str
    reason: str | None = None


def seconds_between(start: datetime | None, end: datetime) -> float:
    """Seconds from start to end, never negative, to the millisecond (0 without a start)."""
    if start is None:
        return 0.0
    return max(0.0, round((end - start).total_seconds(), 3))


#: Every request of the desk reads it: built once (crm/db.py: hot statements).
_AGENT = sa.select(AgentState).where(AgentState.attempt_id == sa.bindparam("attempt_id"))


def load_agent(attempt_id: int) -> AgentState | None:
    """The attempt's agent state row, if the agent ever logged on.

    Read once per transaction: every action recorded asks for it (the customer on the line,
    the wrap-up); later asks take the session's copy, as the query would have returned it.
    """
    known = transaction_memo("agents")
    agent = known.get(attempt_id)
    if agent is not None and agent in db.session:
        # Kept here, not by id: the session's identity map holds rows weakly, so an id alone
        # would send `session.get` back to the database once nothing else refers to the row.
        return agent
    agent = db.session.scalar(_AGENT, {"attempt_id": attempt_id})
    if agent is not None:
        known[attempt_id] = agent
    return agent


def agent_for(ctx: Ctx) -> AgentState:
    """The attempt's agent state, created offline the first time."""
    agent = load_agent(ctx.attempt.id)
    if agent is None:
        agent = AgentState(attempt_id=ctx.attempt.id, state="offline", since=clock.now())
        db.session.add(agent)
        db.session.flush()
    return agent


def move_agent(agent: AgentState, event: str, now: datetime) -> str:
    """Apply an event of the agent's machine (InvalidTransition if refused); the old state."""
    old = agent.state
    agent.state = next_status(AGENT_TRANSITIONS, "agent", old, event)
    agent.since = now
    return old


def _chosen_event(agent: AgentState | None, state: str) -> str:
    """The machine's event for the state the candidate asks for."""
    if state == "offline":
        return "log_off"
    if state == "pause":
        return "pause"
    return "log_on" if agent is None or agent.state == "offline" else "unpause"


def set_agent_state(
    ctx: Ctx, state: str, reason: str | None = None, *, now: datetime | None = None
) -> AgentChange:
    """Log on (ready), pause with a reason, resume (ready) or log off (offline)."""
    now = now or clock.now()
    reason = (reason or "").strip() or None
    if state not in CHOSEN_STATES:
        raise ValidationFailed({"state": "État attendu : ready, pause ou offline."})
    if state == "pause":
        reasons = pause_reasons(ctx.attempt)
        if reason not in reasons:
            raise ValidationFailed(
                {"reason": "Motif de pause attendu : " + ", ".join(reasons) + "."}
            )
    elif reason:
        raise ValidationFailed({"reason": "Un motif ne s'indique que pour une pause."})
    current = load_agent(ctx.attempt.id)
    event = _chosen_event(current, state)
    before = current.state if current else "offline"
    next_status(AGENT_TRANSITIONS, "agent", before, event)  # refuse before creating anything
    if current is not None and current.state == "pause" and current.pause_reason == reason:
        raise InvalidTransition("agent", "pause", "pause")
    agent = current or agent_for(ctx)
    spent = seconds_between(agent.since, now)
    old = move_agent(agent, event, now)
    agent.pause_reason = reason
    if event == "log_on":
        agent.logged_on_at = now
    db.session.flush()
    payload = {"from": old, "to": agent.state, "seconds_in_previous_state": spent}
    if reason:
        payload["reason"] = reason
    if event == "log_off" and agent.logged_on_at:
        payload["logged_on_seconds"] = seconds_between(agent.logged_on_at, now)
    record(ctx, _VERBS.get(event, "agent.state_changed"), agent, payload)
    return AgentChange(agent, old, agent.state, reason)


def finish_wrap_up(ctx: Ctx, agent: AgentState, call: Call, now: datetime, cause: str) -> None:
    """The contact of the call is qualified: the agent is ready for the next call."""
    spent = seconds_between(call.wrap_up_started_at, now)
    move_agent(agent, "qualified", now)
    agent.current_call_id = None
    db.session.flush()
    record(
        ctx,
        "agent.state_changed",
        agent,
        {
            "from": "wrap_up",
            "to": agent.state,
            "cause": cause,
            "call_id": call.id,
            "contact_id": call.contact_id,
            "wrap_up_seconds": spent,
        },
    )


def release_after_qualification(action) -> None:
    """Receiver of `action_recorded`: a qualified call contact ends the agent's wrap-up."""
    if action.verb != "contact.qualified" or _releasing.get():
        return
    agent = load_agent(action.attempt_id)
    if agent is None or agent.state != "wrap_up" or agent.current_call_id is None:
        return
    call = db.session.get(Call, agent.current_call_id)
    if call is None or call.contact_id != action.object_id:
        return
    attempt = db.session.get(Attempt, action.attempt_id)
    ctx = Ctx(attempt, action.actor_id, action.actor_role, ("contact", call.contact_id))
    token = _releasing.set(True)
    try:
        finish_wrap_up(ctx, agent, call, clock.now(), cause="contact.qualified")
    finally:
        _releasing.reset(token)
