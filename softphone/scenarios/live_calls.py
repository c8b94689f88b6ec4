"""The clock's work on live calls: rings that run out, scripted callers that nudge.

A call is ticked again and again (unlike a timeline event, it is not claimed): each is decided
in its own transaction under its attempt's row lock, re-read (`crm.training.locking`), and only
when it is due (`softphone.scenarios.agenda`): a ringing call once its `ring_seconds` have run
out, a connected scripted caller once its silence calls for a nudge. A call whose ticking breaks
is marked failed once (`softphone.scenarios.failures`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.db import db
from crm.errors import DomainError
from crm.training.locking import locked_row
from crm.training.models import Attempt
from crm.training.timeline import TimelineEvent
from softphone.phone.models import Call
from softphone.phone.services import abandon_call, tick_call
from softphone.scenarios.agenda import (
    chunks,
    customer_wakes_at,
    ring_due_at,
    ringing_calls_query,
    running_attempts,
    talking_calls_query,
)
from softphone.scenarios.failures import failed_state, is_failed, run_unit
from softphone.scenarios.timeline import DEFAULT_RING_SECONDS

if TYPE_CHECKING:
    from softphone.scenarios.scheduler import TickReport


def system_ctx(attempt: Attempt) -> Ctx:
    """The context in which the scenario acts on an attempt (no user behind it)."""
    return Ctx(attempt, None, "system")


def _ring_seconds(call: Call) -> int:
    """The ringing delay of a call: its timeline item's `ring_seconds`, else the default."""
    if call.script_key:
        payload = db.session.scalar(
            sa.select(TimelineEvent.payload).where(
                TimelineEvent.attempt_id == call.attempt_id, TimelineEvent.key == call.script_key
            )
        )
        if payload and isinstance(payload.get("ring_seconds"), int):
            return payload["ring_seconds"]
    return DEFAULT_RING_SECONDS


def _due_calls(now: datetime, attempt_ids: list[int] | None) -> list[int]:
    """Ids of the calls due at `now`: ringing past their delay, or a customer due to nudge."""
    ids = list(running_attempts(attempt_ids))
    due = set()
    for chunk in chunks(ids):
        for row in db.session.execute(ringing_calls_query(chunk)):
            if ring_due_at(row.offered_at, row.ring) <= now:
                due.add(row.id)
        for row in db.session.execute(talking_calls_query(chunk)):
            wakes_at = customer_wakes_at(row.customer_state)
            if wakes_at is not None and wakes_at <= now:
                due.add(row.id)
    return sorted(due)


def _still_live(call: Call | None) -> bool:
    """Whether a call re-read under the lock still needs the clock (another worker may be done)."""
    if call is None or is_failed(call.customer_state):
        return False
    attempt = db.session.get(Attempt, call.attempt_id)
    if attempt.status != "active" or attempt.shift.status != "running":
        return False
    return call.status == "ringing" or (call.status == "on_call" and bool(call.customer_state))


def tick_call_once(call_id: int, now: datetime, report: TickReport) -> None:
    """Time out one ringing call, or let its scripted customer nudge or give up; commits.

    Unlike a timeline event, a call is ticked again and again, so it is not claimed: the
    transaction begins by taking the attempt's row lock (`crm.training.locking`, the lock every
    action of the attempt takes) and re-reads the call under it. Two processes ticking the same
    call serialise there; the second sees what the first committed (the call abandoned, the
    nudge said and remembered in `customer_state`) and does nothing. The candidate's phone
    requests take the same lock first, so a ring that times out while being answered is either
    answered or abandoned, never both. A call whose ticking breaks is marked failed once.
    """
    run_unit(
        f"call {call_id}",
        partial(_tick_call, call_id, now, report),
        partial(_mark_call_failed, call_id),
    )


def _tick_call(call_id: int, now: datetime, report: TickReport) -> None:
    """The call's beat under its attempt's lock (commits, or rolls back when nothing is due)."""
    try:
        call = locked_row(Call, call_id)
        if not _still_live(call):
            db.session.rollback()
            return
        ctx = system_ctx(db.session.get(Attempt, call.attempt_id))
        if call.status == "ringing":
            if (now - call.offered_at).total_seconds() < _ring_seconds(call):
                db.session.rollback()
                return
            abandon_call(ctx, call, reason="timeout", now=now)
            report.rings_timed_out.append(call.id)
        else:
            wakes_at = customer_wakes_at(call.customer_state)
            if wakes_at is None or wakes_at > now:  # another process nudged meanwhile
                db.session.rollback()
                return
            tick_call(ctx, call, now=now)
        db.session.commit()
    except DomainError:
        # The state machine refused what the re-read state allowed: nothing to do this beat.
        db.session.rollback()


def _mark_call_failed(call_id: int, error: Exception) -> None:
    """A call the clock cannot tick: its customer is marked failed, the clock leaves it."""
    call = locked_row(Call, call_id)
    if call is not None:
        call.customer_state = failed_state(call.customer_state, error)


def tick_calls(now: datetime, report: TickReport, attempt_ids: list[int] | None = None) -> None:
    """Abandon calls ringing too long; let scripted customers nudge; one transaction per call."""
    call_ids = _due_calls(now, attempt_ids)
    db.session.commit()  # end the read: each call is then decided under its attempt's lock
    for call_id in call_ids:
        tick_call_once(call_id, now, report)
