"""Client services: search, open, create a prospect, edit; each records exactly its action."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from crm.clients.cleaning import fold
from crm.clients.models import Client
from crm.clients.services import (
    create_prospect,
    credit_state,
    search_clients,
    update_client,
    view_client,
)
from crm.db import db
from crm.errors import ValidationFailed


def test_fold_removes_accents_case_and_punctuation():
    assert fold("  Éloïse DUPRÉ-Lefèvre ") == "eloise dupre lefevre"
    assert fold("Œuvre") == "oeuvre"


@pytest.mark.parametrize(
    "query",
    [
        "dupre",
        "DUPRÉ lefevre",
        "eloise dupre",
        "Éloïse",
        "t90001",
        "eloise.dupre@exemple",
        "04 78 12 34 56",
        "04.78.12.34.56",
        "0478123456",
        "+33 4 78 12 34 56",
        "+33 (0)4 78 12 34 56",
        "0033478123456",
        "78 12 34",
    ],
)
def test_search_finds_the_client_however_the_query_is_typed(ctx, dupre, foreign, query):
    result = search_clients(ctx, query)
    assert [c.id for c in result.clients] == [dupre.id]  # never cand2's twin


def test_search_finds_a_company_by_its_contact_person_name_or_phone(ctx, atelier):
    assert [c.id for c in search_clients(ctx, "beranger").clients] == [atelier.id]
    assert [c.id for c in search_clients(ctx, "oeuvre commune").clients] == [atelier.id]
    assert [c.id for c in search_clients(ctx, phone="04-78-98-76-54").clients] == [atelier.id]


def test_search_records_the_query_and_the_result_count(ctx, dupre, log):
    search_clients(ctx, "Dupré")
    (action,) = log.new()
    assert action.verb == "client.searched"
    assert action.payload["query"] == "Dupré"
    assert action.payload["results"] == 1
    assert action.payload["client_ids"] == [dupre.id]


def test_search_without_criteria_lists_everything_and_records_nothing(ctx, dupre, log):
    result = search_clients(ctx)
    assert dupre in result.clients and len(result.clients) > 1
    assert log.verbs() == []


def test_search_by_a_malformed_phone_is_refused_and_recorded_nowhere(ctx, log):
    with pytest.raises(ValidationFailed) as refused:
        search_clients(ctx, phone="12 34")
    assert "phone" in refused.value.fields
    assert log.verbs() == []


def test_view_client_records_one_read_and_gathers_the_file(ctx, atelier, log):
    client_file = view_client(ctx, atelier)
    assert client_file.client is atelier
    assert client_file.credit_state == "ok"
    assert log.verbs() == ["client.viewed"]
    assert log.new()[0].object_id == atelier.id


@pytest.mark.parametrize(
    ("limit", "outstanding", "state"),
    [
        ("0", "0", "cash_only"),
        ("1000", "100", "ok"),
        ("1000", "800", "near"),
        ("1000", "1000.01", "over"),
    ],
)
def test_credit_state(limit, outstanding, state):
    from decimal import Decimal

    assert credit_state(Decimal(limit), Decimal(outstanding)) == state


def test_create_prospect_numbers_it_after_the_attempt_and_records_it(ctx, log):
    client = create_prospect(
        ctx,
        {
            "segment": "b2b",
            "company_name": "Librairie Étoile",
            "title": "mme",
            "first_name": "Anaïs",
            "last_name": "Morvan",
            "email": "anais@librairie-etoile.example",
            "phones": ["04.78.00.11.22", "04 78 00 11 22", "06 11 22 33 44"],
            "postcode": "69 002",
            "consent_email": True,
        },
    )
    highest = max(
        int(n[1:])
        for n in db.session.scalars(
            sa.select(Client.number).where(
                Client.attempt_id == ctx.attempt.id, Client.id != client.id
            )
        )
    )
    assert client.number == f"P{highest + 1:05d}"
    assert (client.kind, client.segment, client.title, client.postcode) == (
        "prospect",
        "b2b",
        "Mme",
        "69002",
    )
    assert [p.e164 for p in client.phones] == ["+33478001122", "+33611223344"]
    (action,) = log.new()
    assert action.verb == "client.created"
    assert action.object_id == client.id
    assert action.payload["number"] == client.number
    assert action.payload["phones"] == ["04.78.00.11.22", "06 11 22 33 44"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"last_name": "Morvan"}, "segment"),
        ({"segment": "b2c"}, "last_name"),
        ({"segment": "b2b", "last_name": "Morvan"}, "company_name"),
        ({"segment": "b2c", "last_name": "Morvan", "email": "anais@"}, "email"),
        ({"segment": "b2c", "last_name": "Morvan", "phones": ["04 78 00"]}, "phones"),
        ({"segment": "b2c", "last_name": "Morvan", "postcode": "6900"}, "postcode"),
        ({"segment": "b2c", "last_name": "Morvan", "title": "Dr"}, "title"),
        ({"segment": "b2c", "last_name": "Morvan", "consent_sms": "oui"}, "consent_sms"),
        ({"segment": "b2c", "last_name": "Morvan", "number": "X1"}, "number"),
        ({"segment": "b2x", "last_name": "Morvan"}, "segment"),
    ],
)
def test_create_prospect_refusals_name_the_field_and_leave_nothing(ctx, log, data, field):
    before = db.session.scalar(sa.select(sa.func.count(Client.id)))
    with pytest.raises(ValidationFailed) as refused:
        create_prospect(ctx, data)
    db.session.rollback()
    assert field in refused.value.fields
    assert db.session.scalar(sa.select(sa.func.count(Client.id))) == before
    assert log.verbs() == []


def test_update_records_only_what_changed_old_to_new(ctx, dupre, log):
    changes = update_client(
        ctx,
        dupre,
        {
            "email": "eloise@nouveau.example",
            "first_name": "Éloïse",  # unchanged
            "phones": ["04 78 12 34 56", "06 99 88 77 66"],
            "consent_sms": True,
            "do_not_call": False,  # unchanged
        },
    )
    assert set(changes) == {"email", "phones", "consent_sms"}
    (action,) = log.new()
    assert action.verb == "client.updated"
    assert action.payload["changes"] == {
        "email": {"old": "eloise.dupre@exemple.fr", "new": "eloise@nouveau.example"},
        "phones": {"old": ["04 78 12 34 56"], "new": ["04 78 12 34 56", "06 99 88 77 66"]},
        "consent_sms": {"old": False, "new": True},
    }
    assert dupre.email == "eloise@nouveau.example"
    assert [p.e164 for p in dupre.phones] == ["+33478123456", "+33699887766"]


def test_update_with_the_same_values_records_nothing(ctx, dupre, log):
    same = {"email": dupre.email, "phones": ["04.78.12.34.56"], "postcode": "69001"}
    assert update_client(ctx, dupre, same) == {}
    assert log.verbs() == []
    assert [p.number for p in dupre.phones] == ["04 78 12 34 56"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "pas-une-adresse", "city": "Paris"}, "email"),
        ({"kind": "prospect"}, "kind"),
        ({"credit_limit": "99999.00"}, "credit_limit"),
        ({"last_name": "  "}, "last_name"),
        ({"phones": "06 99"}, "phones"),
        ({"notes": 12}, "notes"),
    ],
)
def test_update_refusals_change_nothing(ctx, dupre, log, data, field):
    with pytest.raises(ValidationFailed) as refused:
        update_client(ctx, dupre, data)
    db.session.rollback()
    assert field in refused.value.fields
    fresh = db.session.get(Client, dupre.id)
    assert (fresh.email, fresh.city, fresh.last_name) == (
        "eloise.dupre@exemple.fr",
        "Lyon",
        "Dupré-Lefèvre",
    )
    assert log.verbs() == []


def test_a_company_keeps_its_company_name(ctx, atelier, log):
    with pytest.raises(ValidationFailed) as refused:
        update_client(ctx, atelier, {"company_name": ""})
    assert "company_name" in refused.value.fields
    assert log.verbs() == []


def test_emptying_optional_text_fields_stores_blank_values(ctx, dupre, log):
    changes = update_client(ctx, dupre, {"first_name": "", "street": "", "notes": ""})
    assert set(changes) == {"first_name", "street"}
    assert (dupre.first_name, dupre.street) == ("", None)
    assert dupre.birth_date == date(1980, 4, 12)
