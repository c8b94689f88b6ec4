"""Fixtures for payments: a small world of our own inside cand1's attempt (and one in cand2's).

Rows are built directly (a confirmed order, invoices in every status) so these tests depend
neither on the default scenario's contents nor on other packages' services.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm.catalog.models import Product
from crm.clients.models import Client
from crm.extensions import db
from crm.orders.models import Order
from crm.payments.models import Invoice
from crm.training.loader import card_digest
from tests.factories import gen_client, gen_invoice, gen_order, gen_product

VISA = "4111111111111111"
MASTERCARD = "5555555555554444"
AMEX = "378282246310005"
#: Luhn-valid published test number that is NOT one of the scenario's training cards.
NOT_TRAINING = "4012888888881881"


@dataclass
class World:
    """The rows a payment test needs."""

    client: Client
    other_client: Client
    product: Product
    order: Order
    draft: Order
    overdue: Invoice
    partial: Invoice
    upcoming: Invoice
    paid: Invoice
    foreign_invoice: Invoice
    foreign_order: Order


def make_client(attempt, number: str, last_name: str) -> Client:
    """A B2C client with email, mobile and postal address."""
    return gen_client(
        attempt,
        number,
        last_name,
        phones=["06 12 34 56 78"],
        segment="b2c",
        title="Mme",
        first_name="Anne",
        email=f"{last_name.lower()}@example.fr",
        street="2 rue des Lilas",
        postcode="69003",
        city="Lyon",
    )


def make_order(attempt, client: Client, product: Product, number: str, status: str) -> Order:
    """An order of 2 sale units at 24.90 excl. VAT (59.76 incl. VAT)."""
    return gen_order(attempt, client, number, lines=((product, 2),), status=status)


def make_invoice(attempt, client, number, *, due_in, amount, paid="0.00", order=None) -> Invoice:
    """An invoice issued 30 days before its due date (`due_in` days from today)."""
    return gen_invoice(
        attempt, client, number, due_in=due_in, amount=amount, paid=paid, order=order
    )


def make_product(attempt, sku: str) -> Product:
    """A product sold by cartons of 5 reams."""
    return gen_product(attempt, sku)


def set_training_cards(attempt) -> None:
    """Known training cards (digests only, as the loader stores them)."""
    cards = [
        {"digest": card_digest(n), "brand": b, "label": b}
        for n, b in ((VISA, "visa"), (MASTERCARD, "mastercard"), (AMEX, "amex"))
    ]
    attempt.settings = {**attempt.settings, "training_cards": cards}


@pytest.fixture
def world(attempt, other_attempt) -> World:
    """Cand1's world for payments, plus an order and an invoice in cand2's attempt."""
    set_training_cards(attempt)
    client = make_client(attempt, "T-PAY-1", "Payeur")
    other_client = make_client(attempt, "T-PAY-2", "Autre")
    product = make_product(attempt, "T-PAY-SKU")
    order = make_order(attempt, client, product, "T-CMD-1", "confirmed")
    draft = make_order(attempt, client, product, "T-CMD-2", "draft")
    foreign_client = make_client(other_attempt, "T-PAY-9", "Ailleurs")
    foreign_product = make_product(other_attempt, "T-PAY-SKU")
    world = World(
        client=client,
        other_client=other_client,
        product=product,
        order=order,
        draft=draft,
        overdue=make_invoice(attempt, client, "T-FA-1", due_in=-20, amount="100.00"),
        partial=make_invoice(attempt, client, "T-FA-2", due_in=10, amount="200.00", paid="50.00"),
        upcoming=make_invoice(attempt, client, "T-FA-3", due_in=10, amount="80.00"),
        paid=make_invoice(attempt, client, "T-FA-4", due_in=-40, amount="30.00", paid="30.00"),
        foreign_invoice=make_invoice(
            other_attempt, foreign_client, "T-FA-9", due_in=-20, amount="100.00"
        ),
        foreign_order=make_order(
            other_attempt, foreign_client, foreign_product, "T-CMD-9", "confirmed"
        ),
    )
    db.session.commit()
    return world
