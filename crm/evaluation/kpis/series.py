"""The series the KPI charts draw, read from the action log like the KPIs themselves.

Per attempt: each handled call's talk, hold and after-call seconds; the phone's state over
time; the contacts per qualification code; each written answer's delay beside its deadline.
A shift's series are its attempts' series put together, each row named by its candidate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from crm import channels
from crm.actionlog.models import Action
from crm.db import db
from crm.evaluation.kpis.tally import reference_time
from crm.training.models import Attempt


@dataclass(frozen=True)
class CallTime:
    """One call's handling time, in seconds."""

    label: str
    talk: float
    hold: float
    wrap_up: float

    @property
    def total(self) -> float:
        return self.talk + self.hold + self.wrap_up


@dataclass(frozen=True)
class StateSpan:
    """The phone in one state from `start` to `end` (seconds since the row's origin)."""

    state: str
    start: float
    end: float


@dataclass(frozen=True)
class StateRow:
    """One desk's states over the shift."""

    label: str
    spans: tuple[StateSpan, ...]


@dataclass(frozen=True)
class AnswerDelay:
    """A written message awaiting an answer: how long the answer took against the deadline."""

    label: str
    channel: str
    allowed: float
    #: None: not answered (by the attempt's end, or yet).
    delay: float | None

    @property
    def late(self) -> bool:
        return self.delay is None or self.delay > self.allowed


@dataclass
class Series:
    """Everything the charts of an attempt or a shift draw."""

    calls: list[CallTime] = field(default_factory=list)
    states: list[StateRow] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    delays: list[AnswerDelay] = field(default_factory=list)
    #: Length of the state timeline (seconds), shared by its rows.
    span: float = 0.0


def _actions(attempt: Attempt) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(
                Action.attempt_id == attempt.id,
                sa.or_(
                    Action.verb.like("agent.%"),
                    Action.verb.like("call.%"),
                    Action.verb.in_(("contact.qualified", "message.received", "message.sent")),
                ),
            )
            .order_by(Action.seq)
        )
    )


def _calls(actions: list[Action], prefix: str) -> list[CallTime]:
    wrap = {
        a.payload.get("call_id"): float(a.payload.get("wrap_up_seconds") or 0)
        for a in actions
        if a.verb == "agent.state_changed" and a.payload.get("from") == "wrap_up"
    }
    return [
        CallTime(
            label=f"{prefix}{a.payload.get('call_id')}",
            talk=float(a.payload.get("talk_seconds") or 0),
            hold=float(a.payload.get("hold_seconds") or 0),
            wrap_up=wrap.get(a.payload.get("call_id"), 0.0),
        )
        for a in actions
        if a.verb in ("call.ended", "call.transferred")
    ]


def _states(actions: list[Action], origin: datetime, end: datetime) -> list[StateSpan]:
    """Spans between the moments the phone changed state (agent.* `to`, call.* `agent_state`)."""
    spans, state, since = [], None, None
    for action in actions:
        payload = action.payload or {}
        new = payload.get("to") if action.verb.startswith("agent.") else payload.get("agent_state")
        if not new or new == state:
            continue
        if state is not None:
            spans.append(StateSpan(state, since, (action.at - origin).total_seconds()))
        state, since = new, (action.at - origin).total_seconds()
    if state is not None and state != "offline":
        spans.append(StateSpan(state, since, max(since, (end - origin).total_seconds())))
    return [s for s in spans if s.state != "offline" and s.end > s.start]


def _delays(actions: list[Action], now: datetime, prefix: str) -> list[AnswerDelay]:
    awaited: dict[tuple, Action] = {}
    for action in actions:
        payload = action.payload or {}
        key = (payload.get("conversation_id"), payload.get("deadline_at"))
        written = payload.get("channel") in channels.names(written=True) and payload.get(
            "deadline_at"
        )
        if action.verb == "message.received" and written:
            awaited.setdefault(key, action)
    answers: dict[tuple, Action] = {}
    for action in actions:
        payload = action.payload or {}
        key = (payload.get("conversation_id"), payload.get("deadline_at"))
        if action.verb == "message.sent" and payload.get("kind") == "reply" and key in awaited:
            answers.setdefault(key, action)
    result = []
    for key, received in awaited.items():
        deadline = datetime.fromisoformat(key[1])
        answer = answers.get(key)
        if answer is None and deadline > now:
            continue  # still running: neither met nor missed
        result.append(
            AnswerDelay(
                label=f"{prefix}{key[0]}",
                channel=received.payload["channel"],
                allowed=(deadline - received.at).total_seconds(),
                delay=(answer.at - received.at).total_seconds() if answer else None,
            )
        )
    return result


def attempt_series(attempts: list[Attempt], *, per_candidate: bool = False) -> Series:
    """The charts' series of these attempts (one, or a shift's: rows named by candidate)."""
    series = Series()
    for attempt in attempts:
        actions = _actions(attempt)
        name = attempt.candidate.display_name or attempt.candidate.username
        prefix = f"{name} · " if per_candidate else ""
        series.calls += _calls(actions, prefix + "n° ")
        series.delays += _delays(actions, reference_time(attempt), prefix + "n° ")
        series.outcomes.update(
            a.payload.get("code") or "?" for a in actions if a.verb == "contact.qualified"
        )
        origin = attempt.shift.started_at or (actions[0].at if actions else None)
        if origin is None or not actions:
            continue
        spans = _states(actions, origin, reference_time(attempt))
        if spans:
            series.states.append(StateRow(name, tuple(spans)))
            series.span = max(series.span, spans[-1].end)
    return series
