"""When the scenario clock next has something to do, per attempt: read-only questions.

The clock's cost must follow what is due, not how many attempts exist. So instead of visiting
every attempt every second, it asks the database when each active attempt of a running shift
next needs it, and sleeps until the earliest of those times:

- a timeline event never tried: at its offset on its shift's clock;
- an inbound call waiting in the queue (the agent could not take it): as soon as the agent is
  ready *and* the attempt changed since the last try (its `action_count` moved: the candidate
  came back from a pause, qualified the open contact…), else when the caller gives up
  (`queue_seconds`) — never again and again while nothing changes;
- a ringing call: when its `ring_seconds` run out;
- a scripted customer on a connected call, or a chat customer: when its silence calls for a
  nudge (`Engine.wakes_at`);
- a promise to pay or a payment-plan installment: when its date has passed (`dates`).

`due_times` answers these for some attempts (or all); `queued_call_due_at` and
`customer_wakes_at` are the rules the scheduler's `tick` applies too, so both always agree on
what is due. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent
from softphone.phone.models import AgentState, Call
from softphone.scenarios.dates import due_dates_at
from softphone.scenarios.engine import Engine
from softphone.scenarios.failures import is_failed
from softphone.scenarios.played import played_live
from softphone.scenarios.timeline import DEFAULT_QUEUE_SECONDS, DEFAULT_RING_SECONDS

#: The due time of what must be looked at at once (a customer state that cannot be read).
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
#: Attempts per IN (…) list (SQLite's limit on bound parameters is far above).
CHUNK = 500
#: A queued call's result says so; an unclaimed event with any other (or no) result is new.
QUEUED = TimelineEvent.result["status"].as_string() == "queued"
NOT_QUEUED = sa.func.coalesce(TimelineEvent.result["status"].as_string(), "") != "queued"


@dataclass(frozen=True)
class Running:
    """An active attempt of a running shift, as the clock sees it."""

    attempt_id: int
    #: The wall time of the shift's offset 0 (its start, moved on by its pauses).
    origin: datetime
    action_count: int
    agent_state: str

    def at(self, offset: float) -> datetime:
        """The wall time of a scenario offset of this attempt's shift."""
        return self.origin + timedelta(seconds=offset)


@dataclass
class Agenda:
    """The next due time of each attempt that has one, and the attempts with a queued call."""

    due: dict[int, datetime] = field(default_factory=dict)
    waiting: set[int] = field(default_factory=set)

    def next_at(self) -> datetime | None:
        """The earliest due time, None when nothing is to come."""
        return min(self.due.values(), default=None)

    def due_now(self, now: datetime) -> list[int]:
        """The attempts due at `now`, earliest first."""
        return sorted((a for a, at in self.due.items() if at <= now), key=self.due.__getitem__)

    def replace(self, attempt_ids: Iterable[int], fresh: Agenda) -> None:
        """Take these attempts' times from a fresh agenda (forgetting those it has none for)."""
        for attempt_id in attempt_ids:
            self.due.pop(attempt_id, None)
            self.waiting.discard(attempt_id)
        self.due.update(fresh.due)
        self.waiting |= fresh.waiting

    def keep_only(self, attempt_ids: Iterable[int]) -> None:
        """Forget the attempts that no longer run."""
        keep = set(attempt_ids)
        self.due = {a: at for a, at in self.due.items() if a in keep}
        self.waiting &= keep


def running_attempts(attempt_ids: Iterable[int] | None = None) -> dict[int, Running]:
    """The active attempts of running shifts (only these ids, if given)."""
    query = (
        sa.select(
            Attempt.id,
            Shift.started_at,
            Shift.paused_seconds,
            Attempt.action_count,
            AgentState.state,
        )
        .join(Shift, Attempt.shift_id == Shift.id)
        .outerjoin(AgentState, AgentState.attempt_id == Attempt.id)
        .where(Shift.status == "running", Attempt.status == "active")
    )
    rows = []
    if attempt_ids is None:
        rows = db.session.execute(query).all()
    else:
        for chunk in chunks(attempt_ids):
            rows += db.session.execute(query.where(Attempt.id.in_(chunk))).all()
    return {
        row.id: Running(
            row.id,
            row.started_at + timedelta(seconds=row.paused_seconds or 0),
            row.action_count,
            row.state or "offline",
        )
        for row in rows
        if row.started_at is not None
    }


def attempt_counts() -> dict[int, int]:
    """`action_count` of each active attempt of a running shift: what the clock polls."""
    rows = db.session.execute(
        sa.select(Attempt.id, Attempt.action_count)
        .join(Shift, Attempt.shift_id == Shift.id)
        .where(Shift.status == "running", Attempt.status == "active")
    )
    return {row[0]: row[1] for row in rows}


def running_shifts_clock() -> tuple:
    """The running shifts and their clocks (a start, a pause or an end changes it)."""
    rows = db.session.execute(
        sa.select(Shift.id, Shift.started_at, Shift.paused_seconds)
        .where(Shift.status == "running")
        .order_by(Shift.id)
    )
    return tuple(tuple(row) for row in rows)


def queued_call_due_at(
    running: Running, offset: int, queue_seconds: int | None, seen: int | None, now: datetime
) -> datetime:
    """When a queued call is due again: now if the agent is ready and the attempt changed since
    the last try (`seen`: its action count then), else when the caller gives up."""
    if running.agent_state == "ready" and seen != running.action_count:
        return now
    return running.at(offset + (queue_seconds or DEFAULT_QUEUE_SECONDS))


def ring_due_at(offered_at: datetime, ring_seconds: int | None) -> datetime:
    """When a ringing call times out."""
    return offered_at + timedelta(seconds=ring_seconds or DEFAULT_RING_SECONDS)


def customer_wakes_at(state: dict | None) -> datetime | None:
    """When a scripted customer (a call's or a correspondent's state) next nudges, if ever.

    A state the engine cannot read is due at once: ticking it fails, and the tick marks it
    failed once (`softphone.scenarios.failures`) instead of every poll failing on it.
    """
    if not state or not state.get("script") or is_failed(state) or played_live(state):
        return None
    engine_state = state.get("engine")
    if not engine_state or engine_state.get("finished"):
        return None
    try:
        # The script was validated when the pack was loaded; the clock is not read here.
        engine = Engine(state["script"], datetime.now, engine_state, validated=True)
        return engine.wakes_at()
    except Exception:
        return LONG_AGO


def ring_seconds_column():
    """The ringing delay a call's timeline item sets (NULL: the default), for a joined query."""
    return TimelineEvent.payload["ring_seconds"].as_integer()


def ringing_calls_query(attempt_ids: list[int]):
    """(call id, attempt id, offered at, ring seconds) of ringing calls of these attempts."""
    return (
        sa.select(Call.id, Call.attempt_id, Call.offered_at, ring_seconds_column().label("ring"))
        .outerjoin(
            TimelineEvent,
            sa.and_(
                TimelineEvent.attempt_id == Call.attempt_id,
                TimelineEvent.key == Call.script_key,
            ),
        )
        .where(
            Call.attempt_id.in_(attempt_ids),
            Call.status == "ringing",
            Call.customer_state["failed"].as_string().is_(None),
        )
    )


def talking_calls_query(attempt_ids: list[int]):
    """(call id, attempt id, customer state) of connected calls with a scripted customer."""
    return sa.select(Call.id, Call.attempt_id, Call.customer_state).where(
        Call.attempt_id.in_(attempt_ids),
        Call.status == "on_call",
        Call.customer_state.is_not(None),
    )


def chats_query(attempt_ids: list[int]):
    """(event id, attempt id, customer state) of chat customers of these attempts."""
    return sa.select(
        TimelineEvent.id, TimelineEvent.attempt_id, TimelineEvent.customer_state
    ).where(
        TimelineEvent.attempt_id.in_(attempt_ids),
        TimelineEvent.kind == "chat",
        TimelineEvent.customer_state.is_not(None),
    )


def due_times(now: datetime, attempt_ids: Iterable[int] | None = None) -> Agenda:
    """The agenda of these attempts (every active attempt of a running shift when None)."""
    running = running_attempts(attempt_ids)
    agenda = Agenda()

    def soon(attempt_id: int, at: datetime | None) -> None:
        if at is not None:
            agenda.due[attempt_id] = min(at, agenda.due.get(attempt_id, at))

    for ids in chunks(running):
        new_events = (
            sa.select(TimelineEvent.attempt_id, sa.func.min(TimelineEvent.fire_offset_seconds))
            .where(
                TimelineEvent.attempt_id.in_(ids),
                TimelineEvent.claimed_at.is_(None),
                NOT_QUEUED,
            )
            .group_by(TimelineEvent.attempt_id)
        )
        for attempt_id, offset in db.session.execute(new_events):
            soon(attempt_id, running[attempt_id].at(offset))
        queued = sa.select(
            TimelineEvent.attempt_id,
            TimelineEvent.fire_offset_seconds,
            TimelineEvent.payload["queue_seconds"].as_integer(),
            TimelineEvent.result["seen"].as_integer(),
        ).where(TimelineEvent.attempt_id.in_(ids), TimelineEvent.claimed_at.is_(None), QUEUED)
        for attempt_id, offset, queue_seconds, seen in db.session.execute(queued):
            agenda.waiting.add(attempt_id)
            soon(
                attempt_id,
                queued_call_due_at(running[attempt_id], offset, queue_seconds, seen, now),
            )
        for row in db.session.execute(ringing_calls_query(ids)):
            soon(row.attempt_id, ring_due_at(row.offered_at, row.ring))
        for row in db.session.execute(talking_calls_query(ids)):
            soon(row.attempt_id, customer_wakes_at(row.customer_state))
        for row in db.session.execute(chats_query(ids)):
            soon(row.attempt_id, customer_wakes_at(row.customer_state))
        for attempt_id, at in due_dates_at(ids).items():
            soon(attempt_id, at)
    return agenda


def chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    """The ids in lists of at most `CHUNK`."""
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
