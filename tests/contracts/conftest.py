"""Fixtures for contract tests: retention rules on cand1's attempt, contracts, a foreign one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.contracts.models import Contract
from crm.db import db
from tests.factories import gen_client

BOX, MOBILE = "Box Fibre", "Forfait 100 Go"
RULES = {
    "notice_days": 10,
    "offers": [
        {"key": "remise-20", "label": "20 % pendant 6 mois", "kind": "discount", "percent": 20,
         "months": 6, "plans": [BOX], "min_months": 12},
        {"key": "mois-offert", "label": "Un mois offert", "kind": "free_months", "months": 1},
    ],
}  # fmt: skip


def gen_contract(attempt, client, number, plan, *, months_ago, commitment_days=None):
    """An active contract started `months_ago` months (of 31 days) ago."""
    today = clock.today()
    contract = Contract(
        attempt_id=attempt.id,
        client_id=client.id,
        number=number,
        plan=plan,
        monthly_price=Decimal("34.99"),
        started_on=today - timedelta(days=31 * months_ago),
        commitment_ends_on=today + timedelta(days=commitment_days) if commitment_days else None,
        status="active",
    )
    db.session.add(contract)
    return contract


@pytest.fixture
def world(attempt, other_attempt):
    """Box of 30 months, box of 3 months under a 200-day commitment, mobile, a foreign box."""
    attempt.settings = {**attempt.settings, "retention": RULES}
    loyal = gen_client(attempt, "T94001", "Fidèle", segment="b2c")
    newcomer = gen_client(attempt, "T94002", "Nouveau", segment="b2c")
    foreigner = gen_client(other_attempt, "T94009", "Ailleurs", segment="b2c")
    db.session.flush()
    world = {
        "loyal": loyal,
        "box": gen_contract(attempt, loyal, "CT-1", BOX, months_ago=30),
        "mobile": gen_contract(attempt, loyal, "CT-2", MOBILE, months_ago=30),
        "new_box": gen_contract(attempt, newcomer, "CT-3", BOX, months_ago=3, commitment_days=200),
        "foreign": gen_contract(other_attempt, foreigner, "CT-9", BOX, months_ago=30),
    }
    db.session.commit()
    return world


@pytest.fixture
def log(attempt, world, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt)
