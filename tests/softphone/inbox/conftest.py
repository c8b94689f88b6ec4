"""Fixtures for inbox tests: the customer's ctx, known scenario clients, a confirmed order."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx
from crm.catalog.models import Product
from crm.clients.models import Client
from crm.db import db
from crm.knowledge.models import Document, MessageTemplate
from crm.orders.models import Order, OrderLine
from softphone.inbox.receiving import receive_message

#: A consumer of the default scenario with an email address and a mobile number.
ROUSSEL = {"number": "C20003", "email": "amandine.roussel@free.example", "mobile": "06 39 98 40 22"}


@pytest.fixture
def customer(attempt, people):
    """The customer's ctx in cand1's attempt, played by the trainer."""
    return Ctx(attempt, people["trainer"].id, "customer")


@pytest.fixture
def roussel(attempt):
    """Mme Roussel's client file in cand1's attempt."""
    return db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt.id, Client.number == ROUSSEL["number"])
    )


@pytest.fixture
def inbound(customer):
    """`inbound(channel, party, body, subject=…, …)`: a customer's message, committed."""

    def send(
        channel="email", party=ROUSSEL["email"], body="Bonjour, où en est ma commande ?", **kw
    ):
        received = receive_message(customer, channel, party, body, **kw)
        db.session.commit()
        return received.conversation

    return send


@pytest.fixture
def template(attempt):
    """`template(key)`: a message template of cand1's attempt; `template(body=…)` adds one."""

    def get(key=None, *, body=None, channel="email", subject="Objet"):
        if body is not None:
            row = MessageTemplate(
                attempt_id=attempt.id,
                key=f"test-{channel}",
                name="Test",
                channel=channel,
                language="fr",
                subject=subject,
                body=body,
            )
            db.session.add(row)
            db.session.commit()
            return row
        return db.session.scalar(
            sa.select(MessageTemplate).where(
                MessageTemplate.attempt_id == attempt.id, MessageTemplate.key == key
            )
        )

    return get


@pytest.fixture
def document(attempt):
    """`document(key)`: a document of cand1's attempt's library."""

    def get(key):
        return db.session.scalar(
            sa.select(Document).where(Document.attempt_id == attempt.id, Document.key == key)
        )

    return get


_NUMBERS = itertools.count(90001)


def make_order(attempt, client, status="confirmed") -> Order:
    """An order of two sale units of the scenario's first product, built row by row."""
    product = db.session.scalar(
        sa.select(Product).where(Product.attempt_id == attempt.id).order_by(Product.id).limit(1)
    )
    order = Order(
        attempt_id=attempt.id,
        number=f"CMD-2099-{next(_NUMBERS):05d}",
        client_id=client.id,
        status=status,
        ordered_on=date.today() if status != "draft" else None,
        confirmed_at=clock.now() if status != "draft" else None,
    )
    order.lines.append(
        OrderLine(
            attempt_id=attempt.id,
            product_id=product.id,
            quantity=2,
            unit_price=product.unit_price,
            vat_rate=product.vat_rate,
            discount_percent=Decimal("0"),
        )
    )
    db.session.add(order)
    db.session.commit()
    return order


@pytest.fixture
def order_for():
    """`order_for(attempt, client, status="confirmed")`: an order built row by row."""
    return make_order


@pytest.fixture
def order(attempt, roussel):
    """A confirmed order of Mme Roussel in cand1's attempt."""
    return make_order(attempt, roussel)
