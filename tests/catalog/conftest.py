"""Catalog fixtures: our own products in cand1's attempt (TST- SKUs), one in cand2's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.catalog.models import Product, ProductLink, Promotion
from crm.db import db


@dataclass
class Catalog:
    """The rows the catalog tests read."""

    ream: Product  # out of stock, restock in 12 days, one substitute, one complement
    eco: Product  # in stock
    envelopes: Product  # low stock, on promotion
    foreign: Product  # cand2's


def _product(attempt, sku, name, category, price, stock, unit, **kw):
    product = Product(
        attempt_id=attempt.id,
        sku=sku,
        name=name,
        category=category,
        sale_unit_label=unit[0],
        sale_unit_quantity=unit[1],
        unit_price=Decimal(price),
        vat_rate=Decimal("20.00"),
        stock=stock,
        **kw,
    )
    db.session.add(product)
    return product


@pytest.fixture
def catalog(attempt, other_attempt) -> Catalog:
    """Three products of ours in cand1's attempt and one in cand2's."""
    today = clock.today()
    ream = _product(
        attempt,
        "TST-RAM",
        "Ramette Élysée",
        "Papeterie test",
        "24.90",
        0,
        ("Carton de 5 ramettes", 5),
        restock_date=today + timedelta(days=12),
    )
    eco = _product(
        attempt,
        "TST-ECO",
        "Ramette Élysée éco",
        "Papeterie test",
        "21.50",
        40,
        ("Carton de 5 ramettes", 5),
    )
    envelopes = _product(
        attempt, "TST-ENV", "Enveloppes kraft", "Courrier test", "12.00", 4, ("Boîte de 50", 50)
    )
    foreign = _product(
        other_attempt, "TST-RAM", "Ramette autre", "Papeterie test", "24.90", 5, ("Carton", 1)
    )
    db.session.flush()
    db.session.add_all(
        [
            ProductLink(
                attempt_id=attempt.id,
                product_id=ream.id,
                target_id=eco.id,
                kind="substitute",
                rank=0,
            ),
            ProductLink(
                attempt_id=attempt.id,
                product_id=ream.id,
                target_id=envelopes.id,
                kind="complement",
                rank=0,
            ),
            Promotion(
                attempt_id=attempt.id,
                code="TSTENV",
                label="Promo enveloppes",
                percent=Decimal("15.00"),
                starts_on=today - timedelta(days=2),
                ends_on=today + timedelta(days=3),
                skus=["TST-ENV"],
            ),
            Promotion(
                attempt_id=attempt.id,
                code="TSTOLD",
                label="Promo finie",
                percent=Decimal("50.00"),
                starts_on=today - timedelta(days=20),
                ends_on=today - timedelta(days=1),
                skus=["TST-ECO"],
            ),
        ]
    )
    db.session.commit()
    return Catalog(ream, eco, envelopes, foreign)
