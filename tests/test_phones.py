"""crm.phones: one normalisation of phone numbers and one look-up of clients by number."""

from __future__ import annotations

import pytest

from crm.clients.models import ContactPerson
from crm.extensions import db
from crm.phones import clients_with_number, display_phone, normalize_phone, to_e164
from tests.factories import gen_client


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04 78 12 34 56", "+33478123456"),
        ("0478123456", "+33478123456"),
        ("04.78.12.34.56", "+33478123456"),
        ("04-78-12-34-56", "+33478123456"),
        ("+33 4 78 12 34 56", "+33478123456"),
        ("+33478123456", "+33478123456"),
        ("0033478123456", "+33478123456"),
        ("+33 (0)4 78 12 34 56", "+33478123456"),
        ("06\u00a039\u00a098\u00a012\u00a034", "+33639981234"),
        (" 01 99 00 12 34 ", "+33199001234"),
        ("04 78 12 34 5", None),
        ("04 78 12 34 567", None),
        ("00 78 12 34 56", None),
        ("+44 20 7946 0958", None),
        ("+330478123456", None),
        ("04 78 12 34 5a", None),
        ("", None),
        (None, None),
        (478123456, None),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("04 78 12 34 56", "+33478123456"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+33 0478123456", None),
        ("bonjour", None),
        (None, None),
    ],
)
def test_to_e164_takes_french_and_international_numbers(raw, expected):
    assert to_e164(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+33465712050", "04 65 71 20 50"),
        ("04.65.71.20.50", "04 65 71 20 50"),
        ("+442079460958", "+442079460958"),
        ("client@example.org", "client@example.org"),
        (None, ""),
    ],
)
def test_display_phone_writes_french_numbers_by_pairs(raw, expected):
    assert display_phone(raw) == expected


@pytest.mark.empty_world
def test_clients_with_number_finds_files_and_contact_persons_of_the_attempt_only(
    attempt, other_attempt
):
    own = gen_client(attempt, "T-1", "Durand", phones=["04 78 12 34 56"])
    company = gen_client(attempt, "T-2", "Sarl Test", segment="b2b")
    company.contact_persons.append(
        ContactPerson(
            attempt_id=attempt.id,
            first_name="Luc",
            last_name="Martin",
            phone="+33 (0)4 78 12 34 56",
        )
    )
    gen_client(attempt, "T-3", "Autre", phones=["04 78 12 34 57"])
    gen_client(other_attempt, "T-1", "Durand", phones=["04 78 12 34 56"])
    db.session.flush()

    found = clients_with_number(attempt.id, "04.78.12.34.56")

    assert [c.number for c in found] == ["T-1", "T-2"]
    assert found[0].id == own.id
    assert clients_with_number(attempt.id, "04 78 12 34 58") == []
    assert clients_with_number(attempt.id, "pas un numéro") == []


@pytest.mark.empty_world
def test_a_contact_person_written_by_its_client_id_alone_is_found_at_once(attempt):
    company = gen_client(attempt, "T-2", "Sarl Test", segment="b2b")
    db.session.add(
        ContactPerson(
            attempt_id=attempt.id,
            client_id=company.id,
            first_name="Luc",
            last_name="Vidal",
            phone="04.99.00.00.03",
        )
    )
    db.session.flush()
    assert [c.id for c in clients_with_number(attempt.id, "+33 4 99 00 00 03")] == [company.id]
