"""The clock's part for dates that come due: promises to pay and payment-plan installments.

The agenda (`agenda.due_times`) wakes the clock at the moment an attempt's earliest pending
date has passed (`crm.dunning.decisions.passed_at`: midnight in Paris at the end of that day);
`tick_dates` then settles, for each attempt of the beat that has one, everything passed — in
one transaction per attempt, under the attempt's row lock, as the system actor.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from crm.actionlog.services import Ctx
from crm.db import db
from crm.dunning.decisions import passed_at
from crm.dunning.settling import Settled, next_due_dates, settle_due_dates
from crm.training.locking import lock_attempt
from crm.training.models import Attempt
from softphone.scenarios.failures import run_unit


def due_dates_at(attempt_ids: list[int]) -> dict[int, datetime]:
    """When each of these attempts next has a date to settle (read-only)."""
    return {a: passed_at(day) for a, day in next_due_dates(attempt_ids).items()}


def tick_dates(now: datetime, attempt_ids: list[int]) -> list[Settled]:
    """Settle the passed dates of these attempts; one committed transaction per attempt."""
    due = sorted(a for a, at in due_dates_at(attempt_ids).items() if at <= now)
    db.session.commit()  # end the read: each attempt is settled under its own lock
    done = []
    for attempt_id in due:
        settled = run_unit(
            f"due dates of attempt {attempt_id}",
            partial(_settle_one, attempt_id, now),
            # Nothing to mark: the dates stay pending and the next beat looks again.
            lambda _error: None,
        )
        if settled is not None:
            done.append(settled)
    return done


def _settle_one(attempt_id: int, now: datetime) -> Settled:
    """Settle one attempt's passed dates under its row lock; commits."""
    lock_attempt(attempt_id)
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    settled = settle_due_dates(Ctx(attempt, None, "system"), now)
    db.session.commit()
    return settled
