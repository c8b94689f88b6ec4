"""Fixtures for client tests: files with known details, and a watcher of recorded actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.db import db


def make_client(attempt_id: int, number: str, phones=(), persons=(), **fields) -> Client:
    """A client row with phones (typed, normalised) and contact persons."""
    from crm.phones import normalize_phone

    client = Client(attempt_id=attempt_id, number=number, **fields)
    for raw in phones:
        client.phones.append(
            ClientPhone(attempt_id=attempt_id, number=raw, e164=normalize_phone(raw))
        )
    for person in persons:
        client.contact_persons.append(ContactPerson(attempt_id=attempt_id, **person))
    db.session.add(client)
    db.session.commit()
    return client


@pytest.fixture
def dupre(attempt):
    """A consumer with accents in her name, a landline and a birth date."""
    return make_client(
        attempt.id,
        "T90001",
        phones=["04 78 12 34 56"],
        kind="client",
        segment="b2c",
        title="Mme",
        first_name="Éloïse",
        last_name="Dupré-Lefèvre",
        email="eloise.dupre@exemple.fr",
        street="12 rue des Capucins",
        postcode="69001",
        city="Lyon",
        birth_date=date(1980, 4, 12),
        consent_email=True,
    )


@pytest.fixture
def atelier(attempt):
    """A company with a gatekeeper whose phone differs from the switchboard's."""
    return make_client(
        attempt.id,
        "T90002",
        phones=["+33 4 78 55 66 77"],
        persons=[
            {
                "first_name": "Rodolphe",
                "last_name": "Béranger",
                "role": "Assistant de direction",
                "phone": "04 78 98 76 54",
                "email": "r.beranger@atelier-oeuvre.example",
                "gatekeeper": True,
            }
        ],
        kind="client",
        segment="b2b",
        company_name="Ateliers Œuvre Commune",
        title="M.",
        first_name="Yves",
        last_name="Quéméner",
        email="contact@atelier-oeuvre.example",
        postcode="69007",
        city="Lyon",
        credit_limit=Decimal("1000.00"),
    )


@pytest.fixture
def foreign(other_attempt):
    """A client of cand2's attempt: cand1 must never reach it."""
    return make_client(
        other_attempt.id,
        "T90009",
        phones=["04 78 12 34 56"],
        kind="client",
        segment="b2c",
        first_name="Éloïse",
        last_name="Dupré-Lefèvre",
    )
