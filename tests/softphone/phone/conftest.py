"""Fixtures for phone tests: a fixed house clock, a known caller, the log since a mark."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

import crm.clock
from crm.actionlog.services import Ctx
from crm.clients.models import Client, ClientPhone
from crm.contacts.agenda import PARIS
from crm.db import db
from softphone.phone.holidays import holiday_name
from softphone.phone.services import set_agent_state
from tests.clocks import FakeClock

#: The known caller's number, typed as a person would, and in E.164.
CALLER_PHONE, CALLER_E164 = "04 99 00 00 01", "+33499000001"


def last_working_tuesday() -> datetime:
    """11:00 Paris on the last Tuesday before today that is not a public holiday.

    In the past (so contacts created now are "recent" for the rules) and inside the consumer
    calling windows.
    """
    day = crm.clock.now().astimezone(PARIS).date() - timedelta(days=1)
    while day.weekday() != 1 or holiday_name(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(11, 0), PARIS)


@pytest.fixture
def clock(app):
    """The house clock, fixed on a working Tuesday at 11:00 Paris."""
    fake = FakeClock(last_working_tuesday())
    app.config["CLOCK"] = fake
    return fake


def add_client(attempt, phone: str = CALLER_PHONE, **fields) -> Client:
    """A client file with one phone number in an attempt (committed)."""
    values = {"number": "T00001", "kind": "client", "segment": "b2c", "last_name": "Lemoine"}
    values.update(fields)
    client = Client(attempt_id=attempt.id, first_name="Claire", **values)
    client.phones.append(ClientPhone(attempt_id=attempt.id, number=phone, e164=_e164(phone)))
    db.session.add(client)
    db.session.commit()
    return client


def _e164(phone: str) -> str:
    from crm.phones import to_e164

    return to_e164(phone)


@pytest.fixture
def make_client():
    """Factory: make_client(attempt, phone, **fields) adds a client file with that number."""
    return add_client


@pytest.fixture
def caller(attempt):
    """A consumer client of cand1's attempt whose number is CALLER_PHONE."""
    return add_client(attempt)


@pytest.fixture
def trainer_ctx(attempt, people):
    """The trainer acting on cand1's attempt (injecting calls)."""
    return Ctx(attempt, people["trainer"].id, "trainer")


@pytest.fixture
def ready(ctx, clock):
    """cand1 logged on to the phone (ready)."""
    set_agent_state(ctx, "ready")
    db.session.commit()
    return ctx
