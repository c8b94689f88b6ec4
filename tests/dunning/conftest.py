"""Fixtures for dunning: our own client, invoices, ladder and templates in cand1's attempt.

Built directly so the tests depend neither on the default scenario's contents nor on other
packages' services.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from crm.clients.models import Client
from crm.extensions import db
from crm.knowledge.models import MessageTemplate
from crm.payments.models import Invoice
from tests.factories import gen_client, gen_invoice

LADDER = [
    {"level": 1, "days_after_due": 7, "channel": "email", "template": "t-relance-1",
     "label": "Relance courtoise"},
    {"level": 2, "days_after_due": 15, "channel": "sms", "template": "t-relance-2",
     "label": "Relance SMS"},
    {"level": 3, "days_after_due": 30, "channel": "letter", "template": "t-relance-3",
     "label": "Mise en demeure"},
]  # fmt: skip

TEMPLATES = {
    "t-relance-1": (
        "email",
        "Facture {{ invoice.number }}",
        "Bonjour {{ client.title }} {{ client.last_name }}, la facture {{ invoice.number }} "
        "({{ invoice.amount_due }}) était due le {{ invoice.due_on }}. {{ agent.name }}, "
        "{{ company.name }}",
    ),
    "t-relance-2": ("sms", "", "{{ company.name }} : {{ invoice.number }} impayée."),
    "t-relance-3": ("letter", "", "Mise en demeure {{ client.last_name }}"),
}


@dataclass
class World:
    """The rows a dunning test needs."""

    client: Client
    other_client: Client
    overdue: Invoice  # 20 days late: levels 1 and 2 are due, 3 is too early
    late: Invoice  # 40 days late
    upcoming: Invoice  # due in 10 days
    paid: Invoice
    foreign_invoice: Invoice


def make_client(attempt, number: str, last_name: str) -> Client:
    """A B2C client reachable by email, SMS and letter."""
    return gen_client(
        attempt, number, last_name, phones=["06 12 34 56 78"], segment="b2c", title="Mme",
        first_name="Anne", email=f"{last_name.lower()}@example.fr", street="2 rue des Lilas",
        postcode="69003", city="Lyon",
    )  # fmt: skip


def make_invoice(attempt, client, number, *, due_in, amount, paid="0.00") -> Invoice:
    """An invoice due `due_in` days from today."""
    return gen_invoice(attempt, client, number, due_in=due_in, amount=amount, paid=paid)


@pytest.fixture
def world(attempt, other_attempt) -> World:
    """Cand1's dunning world and one invoice in cand2's attempt."""
    attempt.settings = {
        **attempt.settings,
        "dunning_ladder": LADDER,
        "company": {**attempt.settings.get("company", {}), "name": "Bureau Test", "phone": "0400"},
    }
    for key, (channel, subject, body) in TEMPLATES.items():
        db.session.add(
            MessageTemplate(
                attempt_id=attempt.id, key=key, name=key, channel=channel, language="fr",
                subject=subject, body=body,
            )
        )  # fmt: skip
    client = make_client(attempt, "T-DUN-1", "Retard")
    world = World(
        client=client,
        other_client=make_client(attempt, "T-DUN-2", "Autre"),
        overdue=make_invoice(attempt, client, "T-FD-1", due_in=-20, amount="120.00"),
        late=make_invoice(attempt, client, "T-FD-2", due_in=-40, amount="80.50", paid="20.00"),
        upcoming=make_invoice(attempt, client, "T-FD-3", due_in=10, amount="99.99"),
        paid=make_invoice(attempt, client, "T-FD-4", due_in=-5, amount="10.00", paid="10.00"),
        foreign_invoice=make_invoice(
            other_attempt, make_client(other_attempt, "T-DUN-9", "Ailleurs"), "T-FD-9",
            due_in=-20, amount="50.00",
        ),
    )  # fmt: skip
    db.session.commit()
    return world
