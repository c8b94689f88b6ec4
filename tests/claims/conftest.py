"""Fixtures for claim tests: a client with an order, another client, a foreign client."""

from __future__ import annotations

import pytest

from crm.db import db
from tests.factories import gen_client, gen_order


@pytest.fixture
def world(attempt, other_attempt):
    """A client with an order, a second client with another order, a client of cand2."""
    owners = {
        "buyer": (gen_client(attempt, "T92001", "Acheteur", segment="b2c"), attempt),
        "other": (gen_client(attempt, "T92002", "Autre", segment="b2c"), attempt),
        "foreign": (gen_client(other_attempt, "T92009", "Ailleurs", segment="b2c"), other_attempt),
    }
    orders = {
        key: gen_order(owner, client, f"CMD-T-{key}", status="confirmed")
        for key, (client, owner) in owners.items()
    }
    db.session.commit()
    clients = {key: client for key, (client, _) in owners.items()}
    return {**clients, "orders": orders}


@pytest.fixture
def log(attempt, world, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt)
