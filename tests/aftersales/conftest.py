"""After-sales fixtures: our own clients, orders, parcels and payments in cand1's attempt.

Built here rather than read from the default scenario, so a change of the pack's history never
breaks these tests (the pack's own after-sales rows are checked in test_seeded_after_sales.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.aftersales.models import Delivery, DeliveryEvent
from crm.catalog.models import Product
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order, OrderLine
from crm.payments.models import Payment

RULES = {"withdrawal_days": 14, "goodwill_max": "50.00", "goodwill_max_percent": 30}


@dataclass
class World:
    """The rows the after-sales tests work on."""

    consumer: Client
    business: Client
    delivered: Order  # consumer's, delivered 3 days ago, paid by card (120.00 incl. VAT)
    old: Order  # consumer's, delivered 40 days ago
    late: Order  # consumer's, shipped, parcel delayed at the carrier's
    pro: Order  # business client's, delivered yesterday
    paid: Order  # consumer's, paid in full, not shipped
    confirmed: Order  # consumer's, confirmed, unpaid
    parcel: Delivery  # the late order's parcel (incident: delayed)
    card: Payment  # the delivered order's card payment
    foreign_order: Order  # in cand2's attempt


def _moment(days_ago: int, hour: int = 10) -> datetime:
    day = clock.today() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _order(attempt, client, number, status, product, quantity, *, delivered_days=None):
    order = Order(
        attempt_id=attempt.id,
        number=number,
        client_id=client.id,
        status=status,
        ordered_on=clock.today() - timedelta(days=10),
        confirmed_at=_moment(10),
        delivered_on=(
            clock.today() - timedelta(days=delivered_days) if delivered_days is not None else None
        ),
    )
    order.lines.append(
        OrderLine(
            attempt_id=attempt.id,
            product_id=product.id,
            quantity=quantity,
            unit_price=product.unit_price,
            vat_rate=product.vat_rate,
        )
    )
    db.session.add(order)
    return order


@pytest.fixture
def world(attempt, other_attempt) -> World:
    """Our clients and orders in cand1's attempt, with the pack's after-sales rules."""
    attempt.settings = {**attempt.settings, "after_sales": dict(RULES)}
    product = Product(
        attempt_id=attempt.id,
        sku="TST-CASQUE",
        name="Casque test",
        category="Informatique",
        sale_unit_label="Pièce",
        sale_unit_quantity=1,
        unit_price=Decimal("50.00"),
        vat_rate=Decimal("20.00"),
        stock=10,
    )
    consumer = Client(
        attempt_id=attempt.id, number="TST-P1", kind="client", segment="b2c", last_name="Client"
    )
    business = Client(
        attempt_id=attempt.id,
        number="TST-B1",
        kind="client",
        segment="b2b",
        company_name="Pro SA",
        last_name="Pro",
    )
    db.session.add_all([product, consumer, business])
    db.session.flush()
    delivered = _order(attempt, consumer, "TST-CMD-1", "delivered", product, 2, delivered_days=3)
    old = _order(attempt, consumer, "TST-CMD-2", "delivered", product, 1, delivered_days=40)
    late = _order(attempt, consumer, "TST-CMD-3", "shipped", product, 1)
    pro = _order(attempt, business, "TST-CMD-4", "delivered", product, 1, delivered_days=1)
    paid = _order(attempt, consumer, "TST-CMD-5", "paid", product, 1)
    confirmed = _order(attempt, consumer, "TST-CMD-6", "confirmed", product, 1)
    db.session.flush()
    card = Payment(
        attempt_id=attempt.id,
        client_id=consumer.id,
        order_id=delivered.id,
        method="card",
        amount=Decimal("120.00"),
        status="captured",
        masked_card="411111******1111",
        card_brand="visa",
    )
    parcel = Delivery(
        attempt_id=attempt.id,
        order_id=late.id,
        carrier="Colissimo",
        tracking_number="6ATEST0000001",
        status="incident",
        shipped_on=clock.today() - timedelta(days=3),
        expected_on=clock.today() - timedelta(days=1),
        events=[
            DeliveryEvent(attempt_id=attempt.id, kind="picked_up", at=_moment(3), place="Lyon"),
            DeliveryEvent(
                attempt_id=attempt.id, kind="incident", incident="delayed", at=_moment(1)
            ),
        ],
    )
    db.session.add_all([card, parcel])
    foreign_client = Client(
        attempt_id=other_attempt.id, number="TST-P1", kind="client", segment="b2c", last_name="X"
    )
    db.session.add(foreign_client)
    db.session.flush()
    foreign_order = Order(
        attempt_id=other_attempt.id,
        number="TST-CMD-1",
        client_id=foreign_client.id,
        status="delivered",
        delivered_on=clock.today(),
    )
    db.session.add(foreign_order)
    db.session.commit()
    return World(
        consumer, business, delivered, old, late, pro, paid, confirmed, parcel, card, foreign_order
    )


@pytest.fixture
def log(world, attempt, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt, advancing=True)
