"""Fixtures for the timeline tests: a fake clock driving both the phone and the shift clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm.db import db
from crm.dunning.models import Installment, PaymentPlan, PromiseToPay, plan_invoice
from crm.training.timeline import TimelineEvent, parse_offset
from tests.clocks import FakeClock as HouseClock

#: The shift starts here (a fixed moment: nothing in these tests reads the real time).
T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


class FakeClock(HouseClock):
    """The house clock, also set to a scenario offset from T0."""

    def at(self, offset: str) -> datetime:
        """Set the clock to a "+mm:ss" scenario offset from T0 (no pause) and return it."""
        self.now = T0 + timedelta(seconds=parse_offset(offset))
        return self.now


@pytest.fixture
def clock(app):
    """The fake clock at T0."""
    fake = FakeClock(T0)
    app.config["CLOCK"] = fake
    return fake


@pytest.fixture
def running(shift, clock):
    """The default shift, started at T0 (the fake clock's origin)."""
    shift.started_at = T0
    db.session.commit()
    return shift


def events_of(attempt) -> list[TimelineEvent]:
    """The attempt's timeline events in firing order."""
    return list(
        db.session.scalars(
            sa.select(TimelineEvent)
            .where(TimelineEvent.attempt_id == attempt.id)
            .order_by(TimelineEvent.fire_offset_seconds, TimelineEvent.id)
        )
    )


def only_events(attempt, *items: dict) -> list[TimelineEvent]:
    """Replace the attempt's timeline by these items (committed)."""
    db.session.execute(sa.delete(TimelineEvent).where(TimelineEvent.attempt_id == attempt.id))
    rows = [
        TimelineEvent(
            attempt_id=attempt.id,
            key=item["key"],
            kind=item["kind"],
            fire_offset_seconds=parse_offset(item["at"]),
            payload=item,
        )
        for item in items
    ]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def no_due_dates(attempt) -> None:
    """Remove the attempt's promises and payment plans: no date of it will come due (committed)."""
    plans = sa.select(PaymentPlan.id).where(PaymentPlan.attempt_id == attempt.id)
    db.session.execute(sa.delete(plan_invoice).where(plan_invoice.c.plan_id.in_(plans)))
    db.session.execute(sa.delete(Installment).where(Installment.attempt_id == attempt.id))
    db.session.execute(sa.delete(PaymentPlan).where(PaymentPlan.attempt_id == attempt.id))
    db.session.execute(sa.delete(PromiseToPay).where(PromiseToPay.attempt_id == attempt.id))
    db.session.commit()


@pytest.fixture
def quiet(running, other_attempt):
    """cand2's attempt has no timeline and no date coming due (so ticks only concern cand1's)."""
    only_events(other_attempt)
    no_due_dates(other_attempt)
    return running


class TimelineHelpers:
    """What the tests share (importlib mode: tests cannot import conftest)."""

    T0 = T0
    events_of = staticmethod(events_of)
    only_events = staticmethod(only_events)
    no_due_dates = staticmethod(no_due_dates)


@pytest.fixture
def tl():
    """The shared helpers and constants."""
    return TimelineHelpers
