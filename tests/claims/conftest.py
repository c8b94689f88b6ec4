"""Fixtures for claim tests: a client with an order, another client, a foreign client."""

from __future__ import annotations

import pytest

from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order


def _client(attempt_id: int, number: str, last_name: str) -> Client:
    client = Client(
        attempt_id=attempt_id, number=number, kind="client", segment="b2c", last_name=last_name
    )
    db.session.add(client)
    db.session.flush()
    return client


@pytest.fixture
def world(attempt, other_attempt):
    """A client with an order, a second client with another order, a client of cand2."""
    buyer = _client(attempt.id, "T92001", "Acheteur")
    other = _client(attempt.id, "T92002", "Autre")
    foreign = _client(other_attempt.id, "T92009", "Ailleurs")
    owners = {"buyer": (buyer, attempt.id), "other": (other, attempt.id)}
    owners["foreign"] = (foreign, other_attempt.id)
    orders = {}
    for key, (client, aid) in owners.items():
        orders[key] = Order(
            attempt_id=aid, number=f"CMD-T-{key}", client_id=client.id, status="confirmed"
        )
        db.session.add(orders[key])
    db.session.commit()
    return {"buyer": buyer, "other": other, "foreign": foreign, "orders": orders}


@pytest.fixture
def log(attempt, world, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt)
