"""The scenario clock's scheduler: fires each attempt's due timeline events exactly once.

`tick(now)` is pure of sleeping (tests pass a fake `now`): it finds the due events of running
shifts, CLAIMS each with a conditional UPDATE committed before firing — so two processes never
fire the same event — then fires it through the softphone's services in its own transaction.
It also abandons calls ringing past their `ring_seconds`, lets scripted customers on connected
calls (`live_calls`) and in written conversations nudge after a silence, and settles promises to
pay and installments whose date has passed (`dates`). It touches only what is due
(`softphone.scenarios.agenda` holds the rules): nothing due, nothing written.

An inbound call that cannot be offered (agent offline, paused, busy, or a contact still to
qualify) waits in the queue: its claim is released with the attempt's action count at that try,
and it is tried again only once the agent is ready and the attempt has changed since (the
candidate acted), or recorded as `call.abandoned` (reason "not_ready") once the customer has
waited `queue_seconds`, which is evidence for the evaluator.

`start_scheduler(app, socketio)` runs the clock's loop (`softphone.scenarios.loop`: it sleeps
until the next due time or until a commit wakes it) in a background task; the softphone starts
it on `crm.signals.server_starting`, i.e. only when `plateau serve`/`demo` serves.
`stop_scheduler()` ends that loop (a graceful stop, tests).

Several processes may serve at once: events are claimed (above); calls and written
correspondents, ticked again and again, are decided under their attempt's row lock and re-read
(`crm.training.locking`), so a ring times out once and a nudge is said once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.db import db
from crm.errors import DomainError
from crm.training.locking import lock_attempt
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent, shift_elapsed
from softphone.inbox.receiving import receive_message
from softphone.phone.services import offer_inbound_call
from softphone.scenarios import correspondent, wakeups
from softphone.scenarios.agenda import (
    QUEUED,
    chunks,
    queued_call_due_at,
    running_attempts,
)
from softphone.scenarios.dates import tick_dates
from softphone.scenarios.failures import describe, run_unit
from softphone.scenarios.live_calls import system_ctx, tick_calls
from softphone.scenarios.loop import POLL_SECONDS, ClockLoop
from softphone.scenarios.payments import fire_payment
from softphone.scenarios.timeline import (
    DEFAULT_QUEUE_SECONDS,
    item_script,
)

log = logging.getLogger(__name__)
_started: dict[str, object] = {}


@dataclass
class TickReport:
    """What one tick did (keys of the events, ids of the calls)."""

    fired: list[str] = field(default_factory=list)
    queued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: Claims another worker won.
    lost: list[str] = field(default_factory=list)
    rings_timed_out: list[int] = field(default_factory=list)
    #: Promises and installments decided because their date passed, per attempt.
    settled: list = field(default_factory=list)


def default_worker() -> str:
    """This process and thread, as written in `claimed_by`."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def running_shifts() -> list[Shift]:
    """Shifts whose clock runs."""
    return list(db.session.scalars(sa.select(Shift).where(Shift.status == "running")))


def due_events(now: datetime, attempt_ids: list[int] | None = None) -> list[tuple[int, str]]:
    """(id, key) of unclaimed events of active attempts of running shifts, due at `now`.

    A queued call is due only as `agenda.queued_call_due_at` says (the agent ready and the
    attempt changed since its last try, or the customer's patience run out).
    """
    running = running_attempts(attempt_ids)
    rows = []
    for ids in chunks(running):
        rows += db.session.execute(
            sa.select(
                TimelineEvent.id,
                TimelineEvent.key,
                TimelineEvent.attempt_id,
                TimelineEvent.fire_offset_seconds,
                QUEUED.label("queued"),
                TimelineEvent.payload["queue_seconds"].as_integer().label("queue_seconds"),
                TimelineEvent.result["seen"].as_integer().label("seen"),
            ).where(TimelineEvent.attempt_id.in_(ids), TimelineEvent.claimed_at.is_(None))
        ).all()
    due = []
    for row in rows:
        attempt = running[row.attempt_id]
        if row.queued:
            at = queued_call_due_at(
                attempt, row.fire_offset_seconds, row.queue_seconds, row.seen, now
            )
        else:
            at = attempt.at(row.fire_offset_seconds)
        if at <= now:
            due.append((row.fire_offset_seconds, row.id, row.key))
    return [(event_id, key) for _offset, event_id, key in sorted(due)]


def claim(event_id: int, now: datetime, worker: str) -> bool:
    """Claim an event for this worker; True when ours. Commits (the claim is the lock)."""
    result = db.session.execute(
        sa.update(TimelineEvent)
        .where(TimelineEvent.id == event_id, TimelineEvent.claimed_at.is_(None))
        .values(claimed_at=now, claimed_by=worker)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _release(event_id: int, worker: str, result: dict) -> None:
    """Give a claimed event back to the queue (retried on a later tick)."""
    db.session.execute(
        sa.update(TimelineEvent)
        .where(TimelineEvent.id == event_id, TimelineEvent.claimed_by == worker)
        .values(claimed_at=None, claimed_by=None, result=result)
        .execution_options(synchronize_session=False)
    )


def _fire_call(ctx: Ctx, event: TimelineEvent, now: datetime) -> dict:
    """The phone rings with the caller's number (DomainError when the agent cannot take it)."""
    item = event.payload
    script = item_script(item, event.key)
    call = offer_inbound_call(ctx, item["from"], script, now=now)
    return {"status": "offered", "call_id": call.id}


def _fire_message(ctx: Ctx, event: TimelineEvent, now: datetime) -> dict:
    """A customer writes (a timeline message, or a scripted correspondent's queued answer)."""
    item = event.payload
    if correspondent.silenced(event):
        # A person plays this customer now: what the script had queued is not said.
        return {"status": "silenced"}
    channel = item["channel"] if event.kind == "reply" else event.kind
    received = receive_message(
        ctx,
        channel,
        item["from"],
        item["body"],
        subject=item.get("subject"),
        language=item.get("language", "fr"),
        attachments=item.get("attachments"),
        now=now,
    )
    result = {
        "status": "received",
        "conversation_id": received.conversation.id,
        "message_id": received.message.id,
    }
    correspondent.after_received(event, received.conversation, now)
    return result


def fire(event_id: int, now: datetime, worker: str, report: TickReport) -> None:
    """Fire one claimed event in its own transaction (commits); a refused call is queued.

    The claim makes this worker the only one firing the event; the attempt's row lock, taken
    first, means the agent's state read here is the one the candidate's last request committed,
    and the candidate's next request waits for this one. An event that breaks is marked failed
    once (`failures.run_unit`): the other events keep firing.
    """
    run_unit(
        f"timeline event {event_id}",
        partial(_fire, event_id, now, worker, report),
        partial(_mark_failed, event_id, now, report),
    )


def _fire(event_id: int, now: datetime, worker: str, report: TickReport) -> None:
    """Fire the event (commits); a refusal queues a call or fails a message, once."""
    event = db.session.get(TimelineEvent, event_id)
    lock_attempt(event.attempt_id)
    attempt = db.session.get(Attempt, event.attempt_id, populate_existing=True)
    # What the agent's refusal was decided on: the attempt as it stands under the lock.
    seen = attempt.action_count
    ctx = system_ctx(attempt)
    try:
        if event.kind == "call":
            result = _fire_call(ctx, event, now)
        elif event.kind == "payment":
            result = fire_payment(ctx, event.payload)
        else:
            result = _fire_message(ctx, event, now)
    except DomainError as error:
        db.session.rollback()
        if event.kind == "call":
            _queue_or_abandon(event_id, now, worker, error, seen, report)
            return
        _mark_failed(event_id, now, report, error)
        db.session.commit()
        return
    event.fired_at, event.result = now, result
    db.session.commit()
    report.fired.append(event.key)


def _queue_or_abandon(
    event_id: int, now: datetime, worker: str, error: DomainError, seen: int, report: TickReport
) -> None:
    """The agent could not take the call: keep it queued, or give up after `queue_seconds`.

    Queued, it remembers `seen` (the attempt's action count when refused): it is tried again
    only once the attempt has changed and the agent is ready (`agenda.queued_call_due_at`).
    """
    event = db.session.get(TimelineEvent, event_id)
    attempt = db.session.get(Attempt, event.attempt_id)
    waited = shift_elapsed(attempt.shift, now) - event.fire_offset_seconds
    tries = int((event.result or {}).get("tries", 0)) + 1
    reason = getattr(error, "code", None) or type(error).__name__
    if waited < event.payload.get("queue_seconds", DEFAULT_QUEUE_SECONDS):
        result = {"status": "queued", "tries": tries, "reason": reason, "seen": seen}
        _release(event_id, worker, result)
        db.session.commit()
        report.queued.append(event.key)
        return
    record(
        system_ctx(attempt),
        "call.abandoned",
        None,
        {
            "call_id": None,
            "number": event.payload.get("from"),
            "timeline_key": event.key,
            "reason": "not_ready",
            "refused_because": reason,
            "queued_seconds": round(waited, 3),
            "tries": tries,
        },
    )
    event.fired_at = now
    event.result = {"status": "abandoned", "reason": reason, "tries": tries}
    db.session.commit()
    report.abandoned.append(event.key)


def _mark_failed(event_id: int, now: datetime, report: TickReport, error: Exception) -> None:
    """An event that cannot fire (a broken pack): fired once, as failed, never retried."""
    event = db.session.get(TimelineEvent, event_id)
    event.fired_at = now
    event.result = {"status": "failed", "error": describe(error)}
    report.failed.append(event.key)


def tick(
    now: datetime | None = None, worker: str | None = None, attempt_ids: list[int] | None = None
) -> TickReport:
    """One beat of the scenario clock: fire what is due, time out rings, let customers nudge.

    Only these attempts when `attempt_ids` is given (the loop knows which are due), else all.
    """
    now = now or clock.now()
    worker = worker or default_worker()
    report = TickReport()
    due = due_events(now, attempt_ids)
    db.session.commit()  # end the read: SQLite transactions hold the write lock
    for event_id, key in due:
        if claim(event_id, now, worker):
            fire(event_id, now, worker, report)
        else:
            report.lost.append(key)
    tick_calls(now, report, attempt_ids)
    correspondent.tick_correspondents(now, attempt_ids)
    report.settled = tick_dates(now, list(running_attempts(attempt_ids)))
    db.session.commit()
    return report


def _beat(now: datetime, attempt_ids: list[int]) -> TickReport:
    """The loop's beat: `tick` the attempts that are due."""
    return tick(now, attempt_ids=attempt_ids)


def start_scheduler(app, socketio=None, interval: float = POLL_SECONDS, beat=None):
    """Run the clock's loop in the background, once per process; its task (a thread).

    The loop ticks what is due and sleeps until the next due time, waking at least every
    `interval` seconds to poll what other processes did, and at once when a commit concerns an
    attempt waiting for its agent (`softphone.scenarios.wakeups`). `beat(now, attempt_ids)`
    replaces the tick (tests inject a fake one). The loop runs until `stop_scheduler()`.
    """
    if "task" in _started:
        return _started["task"]
    loop = ClockLoop(app, beat or _beat, interval=interval, socketio=socketio)
    wakeups.attach(loop)
    if socketio is not None:
        task = socketio.start_background_task(loop.run)
    else:
        task = threading.Thread(target=loop.run, name="plateau-scenario-clock", daemon=True)
        task.start()
    _started.update(task=task, loop=loop)
    return task


def current_loop() -> ClockLoop | None:
    """This process's running clock loop, if any."""
    return _started.get("loop")


def stop_scheduler(timeout: float | None = None) -> bool:
    """Stop this process's clock loop and wait for it; True when it has ended.

    The loop ends after the round in progress (its sleep is cut short); a round's units each
    commit on their own, so nothing is left half-done. Then the clock may be started again.
    """
    if "task" not in _started:
        return True
    loop = _started["loop"]
    loop.stop()
    task = _started["task"]
    task.join(timeout)
    if task.is_alive():
        return False
    wakeups.detach(loop)
    _started.clear()
    return True


def on_server_starting(app, socketio=None, **_extra) -> None:
    """Receiver of `crm.signals.server_starting`: the serving process runs the clock."""
    start_scheduler(app, socketio)
