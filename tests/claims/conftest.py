"""Fixtures for claim tests: a client with an order, another client, a foreign client."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order


class Log:
    """What the attempt recorded since `mark()`."""

    def __init__(self, attempt_id: int):
        self.attempt_id = attempt_id
        self.seq = 0

    def mark(self) -> Log:
        self.seq = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Action.seq), 0)).where(
                Action.attempt_id == self.attempt_id
            )
        )
        return self

    def new(self) -> list[Action]:
        return db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == self.attempt_id, Action.seq > self.seq)
            .order_by(Action.seq)
        ).all()

    def verbs(self) -> list[str]:
        return [a.verb for a in self.new()]


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
def log(attempt, world):
    """Actions of cand1's attempt recorded after the world was set up (or the last mark())."""
    return Log(attempt.id).mark()
