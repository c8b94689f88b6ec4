"""Fixtures for contact tests: known clients, one qualification code per effect, a sales rep."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm.contacts.models import SalesRep
from crm.db import db
from tests.factories import gen_client, gen_qualification_code

PARIS = ZoneInfo("Europe/Paris")
#: code → effects; prefixed so they never collide with the scenario's codes.
CODES = {
    "T-VENTE": [],
    "T-RAPPEL": ["callback_required"],
    "T-RDV": ["appointment_required"],
    "T-RECLA": ["claim_required"],
    "T-PROMESSE": ["payment_plan_or_promise"],
    "T-STOP": ["do_not_call"],
    "T-REFUS": ["block_number_60_days"],
}


def weekday_at(hour: int, minute: int = 0, *, weekday: int | None = None) -> datetime:
    """The next day from tomorrow (a Mon–Fri, or the given weekday) at hh:mm Paris time."""
    day = datetime.now(PARIS).date() + timedelta(days=1)
    while (day.weekday() >= 5) if weekday is None else (day.weekday() != weekday):
        day += timedelta(days=1)
    return datetime.combine(day, time(hour, minute), PARIS)


@pytest.fixture
def world(attempt):
    """cand1's attempt with the T- codes, a consumer, a company and a sales rep."""
    for code, effects in CODES.items():
        gen_qualification_code(attempt, code, effects=effects)
    consumer = gen_client(
        attempt, "T91001", "Garnier-Test", phones=["04 78 40 50 60"], segment="b2c"
    )
    company = gen_client(
        attempt,
        "T91002",
        "Vidal",
        phones=["04 78 40 50 61"],
        segment="b2b",
        company_name="Vidal Test SARL",
    )
    rep = SalesRep(
        attempt_id=attempt.id,
        key="rep-test",
        name="Rep Test",
        slot_minutes=60,
        working_hours=[{"weekday": d, "start": "09:00", "end": "12:00"} for d in range(5)],
    )
    db.session.add(rep)
    db.session.commit()
    return {"consumer": consumer, "company": company, "rep": rep, "attempt": attempt}


@pytest.fixture
def log(attempt, world, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt)


@pytest.fixture
def foreign(other_attempt):
    """A client of cand2's attempt."""
    client = gen_client(
        other_attempt, "T91009", "Ailleurs", phones=["04 78 40 50 69"], segment="b2c"
    )
    db.session.commit()
    return client


@pytest.fixture
def when():
    """`when(hour, minute, weekday=None)`: the next weekday from tomorrow at that Paris time."""
    return weekday_at
