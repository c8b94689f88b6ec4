"""Order fixtures: a small catalog and clients of our own in cand1's attempt (TST- SKUs).

The tests build their own rows instead of relying on the default scenario's content, so a
change of the scenario's catalog never breaks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.catalog.models import Product, ProductLink, Promotion
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order
from crm.payments.models import Invoice


@dataclass
class World:
    """The rows the order tests work on."""

    short: Product  # out of stock, with two substitutes and one complement
    sub: Product  # first substitute, in stock
    sub_out: Product  # second substitute, out of stock too
    comp: Product  # complement of `short` and of `sub`
    low: Product  # 3 in stock
    promo: Product  # on a running 10 % promotion
    cash: Client  # pays at order (credit_limit 0)
    account: Client  # b2b on terms: credit limit 500, 400 owed
    foreign_product: Product  # in cand2's attempt
    foreign_client: Client
    foreign_order: Order


def _product(attempt, sku, name, price, stock, *, unit=("Carton de 5 ramettes", 5), **kw):
    product = Product(
        attempt_id=attempt.id,
        sku=sku,
        name=name,
        category=kw.pop("category", "Papier"),
        sale_unit_label=unit[0],
        sale_unit_quantity=unit[1],
        unit_price=Decimal(price),
        vat_rate=Decimal(kw.pop("vat_rate", "20.00")),
        stock=stock,
        **kw,
    )
    db.session.add(product)
    return product


def _client(attempt, number, last_name, **kw):
    client = Client(attempt_id=attempt.id, number=number, kind="client", last_name=last_name, **kw)
    db.session.add(client)
    return client


@pytest.fixture
def world(attempt, other_attempt) -> World:
    """Our catalog and clients in cand1's attempt, plus a few rows in cand2's."""
    today = clock.today()
    short = _product(
        attempt, "TST-RAM", "Ramette test", "24.90", 0, restock_date=today + timedelta(days=10)
    )
    sub = _product(attempt, "TST-RAM-ECO", "Ramette test éco", "21.50", 40)
    sub_out = _product(attempt, "TST-RAM-RECY", "Ramette test recyclée", "22.00", 0)
    comp = _product(
        attempt,
        "TST-ENV",
        "Enveloppes test",
        "12.00",
        30,
        unit=("Boîte de 50", 50),
        category="Enveloppes",
    )
    low = _product(attempt, "TST-AGR", "Agrafes test", "9.99", 3, unit=("Boîte", 1))
    promo = _product(attempt, "TST-PROMO", "Classeur test", "10.00", 100, unit=("Lot de 10", 10))
    db.session.flush()
    for rank, target in enumerate((sub, sub_out)):
        db.session.add(
            ProductLink(
                attempt_id=attempt.id,
                product_id=short.id,
                target_id=target.id,
                kind="substitute",
                rank=rank,
            )
        )
    for source in (short, sub):
        db.session.add(
            ProductLink(
                attempt_id=attempt.id,
                product_id=source.id,
                target_id=comp.id,
                kind="complement",
                rank=0,
            )
        )
    db.session.add(
        Promotion(
            attempt_id=attempt.id,
            code="TST10",
            label="Promo test",
            percent=Decimal("10.00"),
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=5),
            skus=["TST-PROMO"],
        )
    )
    cash = _client(attempt, "TST-C1", "Comptant", first_name="Paul")
    account = _client(
        attempt,
        "TST-C2",
        "Terme",
        segment="b2b",
        company_name="Terme SA",
        credit_limit=Decimal("500.00"),
        payment_terms_days=30,
    )
    db.session.flush()
    db.session.add(
        Invoice(
            attempt_id=attempt.id,
            number="TST-FA-1",
            client_id=account.id,
            issued_on=today - timedelta(days=20),
            due_on=today + timedelta(days=10),
            amount=Decimal("400.00"),
            amount_paid=Decimal("0.00"),
        )
    )
    foreign_product = _product(other_attempt, "TST-RAM", "Ramette autre", "24.90", 50)
    foreign_client = _client(other_attempt, "TST-C1", "Autre")
    db.session.flush()
    foreign_order = Order(
        attempt_id=other_attempt.id, number="CMD-2000-00001", client_id=foreign_client.id
    )
    db.session.add(foreign_order)
    db.session.commit()
    return World(
        short,
        sub,
        sub_out,
        comp,
        low,
        promo,
        cash,
        account,
        foreign_product,
        foreign_client,
        foreign_order,
    )


@pytest.fixture
def log(world, attempt, action_log):
    """cand1's actions recorded after the fixtures above (or the last `mark()`)."""
    return action_log(attempt, advancing=True)
