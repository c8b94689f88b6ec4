"""Retention: delete what was kept longer than its period (`plateau retention [--dry-run]`).

What is kept, and for how long (days, from the end of the attempt: when it was reset, else when its
shift ended, else when it was created):

- ``RETENTION_GRIDS_DAYS`` (default 365): evaluation grids — the candidate's memo and
  self-assessment, and the evaluators' grades once their package registers them. The CNIL's rule
  is that personal data is kept in the active base only as long as its purpose needs it
  (RGPD art. 5-1-e; CNIL, « Les durées de conservation des données »): a mock shift's grid serves
  the training and its validation, for which one year after the attempt covers a training cycle
  and a jury session; one year is the default the project's issue sets for grids.
- ``RETENTION_ATTEMPTS_DAYS`` (default 365): attempts with their private world and their action
  log, and the shifts left without any attempt. The log records what each candidate did and when:
  it is a journal of a user's actions, for which the CNIL's recommendation on logging
  (« journalisation », October 2021) advises six months to one year. The log is also
  the proof behind the grades, so by default it lives exactly as long as they do. Deleting an
  attempt deletes everything attached to it, grids included, whatever their own period.

Longer periods need a reason of their own (a dispute, a legal obligation): set them in the
configuration and write the reason down in the register of processing activities.

Shorter grid periods are allowed (the grids go, the log stays: note that `memo.sent` and
`self_assessment.submitted` keep their content in the log, which then goes with the attempt).

The registry (`register`) lets any package declare what it keeps: rows bound to an attempt are
declared with `attempt_rows(...)`; they are then deleted when their own period passes and, in any
case, before their attempt is. `plan` lists what would go; `purge` deletes it in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from crm import clock
from crm.actionlog.models import Action
from crm.db import db
from crm.training.models import Attempt, Shift

#: Rows deleted per statement (SQLite caps the number of bound parameters).
CHUNK = 500

#: Stages: attempt-bound rows first, then attempts (and their logs), then empty shifts.
ROWS, ATTEMPTS, SHIFTS = 0, 1, 2


@dataclass(frozen=True)
class Kept:
    """One kind of data kept for a period: how to find what is past it and how to delete it."""

    key: str
    label: str
    #: Config key holding the period in days.
    period: str
    #: cut-off → a select of (id, date) for the rows dated before the cut-off.
    select: Callable[[datetime], sa.Select]
    #: ids → delete those rows (in the caller's transaction).
    delete: Callable[[list[int]], None]
    #: attempt ids → delete the rows of those attempts (rows bound to attempts only).
    delete_for_attempts: Callable[[list[int]], None] | None = None
    stage: int = ROWS


@dataclass
class Batch:
    """What one kind of data would lose: its cut-off and the (id, date) of each row."""

    kept: Kept
    days: int
    cutoff: datetime
    rows: list[tuple[int, datetime]] = field(default_factory=list)


REGISTRY: dict[str, Kept] = {}


def register(kept: Kept) -> Kept:
    """Declare (or redeclare, by key) something kept, with its period and its deletion."""
    REGISTRY[kept.key] = kept
    return kept


def attempt_date():
    """SQL expression: the end of an attempt (reset, else its shift's end, else its creation)."""
    return sa.func.coalesce(Attempt.superseded_at, Shift.ended_at, Attempt.created_at)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def attempt_rows(key: str, label: str, period: str, model) -> Kept:
    """A Kept for a model with `attempt_id`, dated by its attempt."""

    def select(cutoff: datetime) -> sa.Select:
        date = attempt_date()
        return (
            sa.select(model.id, date)
            .join(Attempt, model.attempt_id == Attempt.id)
            .join(Shift, Attempt.shift_id == Shift.id)
            .where(date < cutoff)
            .order_by(model.id)
        )

    def delete(ids: list[int]) -> None:
        for chunk in _chunks(ids):
            db.session.execute(sa.delete(model).where(model.id.in_(chunk)))

    def delete_for_attempts(attempt_ids: list[int]) -> None:
        for chunk in _chunks(attempt_ids):
            db.session.execute(sa.delete(model).where(model.attempt_id.in_(chunk)))

    return Kept(key, label, period, select, delete, delete_for_attempts, ROWS)


def _attempts_select(cutoff: datetime) -> sa.Select:
    date = attempt_date()
    return (
        sa.select(Attempt.id, date)
        .join(Shift, Attempt.shift_id == Shift.id)
        .where(date < cutoff)
        .order_by(Attempt.id)
    )


def delete_attempts(ids: list[int]) -> None:
    """Delete attempts: their registered rows, their log, then the attempt (world cascades).

    Also what removing a candidate from (or deleting) a shift not yet started does.
    """
    for kept in REGISTRY.values():
        if kept.delete_for_attempts is not None:
            kept.delete_for_attempts(ids)
    for chunk in _chunks(ids):
        db.session.execute(sa.delete(Action).where(Action.attempt_id.in_(chunk)))
        # A newer attempt kept for longer would still point at a deleted one it replaced.
        db.session.execute(
            sa.update(Attempt).where(Attempt.replaced_by_id.in_(chunk)).values(replaced_by_id=None)
        )
        db.session.execute(sa.delete(Attempt).where(Attempt.id.in_(chunk)))


def _shifts_select(cutoff: datetime) -> sa.Select:
    """Shifts past the cut-off none of whose attempts is kept (read before attempts go)."""
    date = sa.func.coalesce(Shift.ended_at, Shift.created_at)
    # An attempt is kept when its own date is at or after the cut-off.
    attempt_end = sa.func.coalesce(Attempt.superseded_at, Shift.ended_at, Attempt.created_at)
    kept_attempt = sa.select(Attempt.id).where(Attempt.shift_id == Shift.id, attempt_end >= cutoff)
    return (
        sa.select(Shift.id, date).where(date < cutoff, ~sa.exists(kept_attempt)).order_by(Shift.id)
    )


def _shifts_delete(ids: list[int]) -> None:
    for chunk in _chunks(ids):
        # Attempts still there were kept by nothing but this shift: a shift only goes when all
        # of its attempts are past their period, so they went in the attempts stage.
        db.session.execute(sa.delete(Shift).where(Shift.id.in_(chunk)))


register(
    Kept(
        "attempts",
        "attempts with their world and action log",
        "RETENTION_ATTEMPTS_DAYS",
        _attempts_select,
        delete_attempts,
        stage=ATTEMPTS,
    )
)
register(
    Kept(
        "shifts",
        "shifts left without attempts",
        "RETENTION_ATTEMPTS_DAYS",
        _shifts_select,
        _shifts_delete,
        stage=SHIFTS,
    )
)


def plan(now: datetime | None = None) -> list[Batch]:
    """What is past its period now, per kind of data, in deletion order (reads only)."""
    now = now or clock.now()
    batches = []
    for kept in sorted(REGISTRY.values(), key=lambda k: k.stage):
        days = int(current_app.config[kept.period])
        if days < 0:
            raise ValueError(f"{kept.period} must be a number of days ≥ 0")
        cutoff = now - timedelta(days=days)
        rows = [(row_id, date) for row_id, date in db.session.execute(kept.select(cutoff))]
        batches.append(Batch(kept, days, cutoff, rows))
    return batches


def purge(now: datetime | None = None, *, dry_run: bool = False) -> list[Batch]:
    """Delete what `plan` lists, in one transaction (nothing when `dry_run`)."""
    batches = plan(now)
    if dry_run:
        db.session.rollback()
        return batches
    for batch in batches:
        if batch.rows:
            batch.kept.delete([row_id for row_id, _date in batch.rows])
    db.session.commit()
    return batches
