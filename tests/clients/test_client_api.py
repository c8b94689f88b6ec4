"""Client API: search, file, creation, edit, identity; and every refusal of the contract."""

from __future__ import annotations

import pytest

from crm.clients.models import Client
from crm.db import db

FILE_FIELDS = {
    "id",
    "number",
    "kind",
    "name",
    "segment",
    "contact_persons",
    "addresses",
    "phones",
    "emails",
    "credit_limit",
    "outstanding",
    "consent",
    "do_not_call",
    "orders",
    "invoices",
    "contacts",
    "claims",
}


@pytest.fixture
def cand(api, shift):
    """cand1's API client."""
    return api.as_("candidat1")


def test_search_by_phone_in_any_format(cand, dupre, foreign, log):
    response = cand.get("/clients", phone="04.78.12.34.56")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    (item,) = body["items"]
    assert item == {
        "id": dupre.id,
        "number": "T90001",
        "kind": "client",
        "segment": "b2c",
        "name": "Mme Éloïse Dupré-Lefèvre",
        "city": "Lyon",
        "phones": ["04 78 12 34 56"],
    }
    assert log.verbs() == ["client.searched"]


def test_search_pages_and_refuses_a_bad_phone(cand, dupre):
    body = cand.get("/clients", limit=2).get_json()
    assert len(body["items"]) == 2 and body["total"] > 2
    response = cand.get("/clients", phone="abc")
    assert response.status_code == 422
    assert "phone" in response.get_json()["error"]["fields"]


def test_client_file_has_exactly_the_contract_fields(cand, atelier, log):
    response = cand.get(f"/clients/{atelier.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == FILE_FIELDS
    assert body["credit_limit"] == "1000.00" and body["outstanding"] == "0.00"
    assert body["phones"] == ["+33 4 78 55 66 77"]
    assert body["contact_persons"][0]["gatekeeper"] is True
    assert body["consent"] == {"email": False, "sms": False, "phone": True}
    assert log.verbs() == ["client.viewed"]


def test_a_seeded_file_lists_its_history(cand, attempt):
    seeded = db.session.scalars(
        db.select(Client).where(Client.attempt_id == attempt.id, Client.number == "C20001")
    ).first()
    if seeded is None:
        pytest.skip("the default scenario changed its first consumer")
    body = cand.get(f"/clients/{seeded.id}").get_json()
    assert body["orders"] and body["invoices"]
    assert {"id", "number", "status", "total"} <= set(body["orders"][0])
    assert body["invoices"][0]["status"] in {"paid", "partial", "unpaid", "overdue"}


def test_create_a_prospect(cand, log):
    response = cand.post(
        "/clients",
        {"segment": "b2c", "last_name": "Morvan", "phones": ["06 11 22 33 44"], "email": "a@b.fr"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "prospect" and body["number"].startswith("P")
    assert set(body) == FILE_FIELDS
    assert log.verbs() == ["client.created"]


def test_patch_records_old_and_new(cand, dupre, log):
    response = cand.patch(f"/clients/{dupre.id}", {"city": "Villeurbanne", "postcode": "69100"})
    assert response.status_code == 200
    assert response.get_json()["changed"] == ["city", "postcode"]
    (action,) = log.new()
    assert action.payload["changes"]["city"] == {"old": "Lyon", "new": "Villeurbanne"}


def test_patch_without_change_records_nothing(cand, dupre, log):
    response = cand.patch(f"/clients/{dupre.id}", {"city": "Lyon"})
    assert response.status_code == 200 and response.get_json()["changed"] == []
    assert log.verbs() == []


def test_patch_refuses_an_unknown_field_by_name(cand, dupre, log):
    response = cand.patch(f"/clients/{dupre.id}", {"city": "Paris", "colour": "bleu"})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"colour"}
    assert db.session.get(Client, dupre.id).city == "Lyon"
    assert log.verbs() == []


def test_verify_identity(cand, dupre, log):
    response = cand.post(
        f"/clients/{dupre.id}/verify-identity", {"client_number": "T90001", "postcode": "69009"}
    )
    assert response.status_code == 200
    assert response.get_json()["verified"] is False
    assert response.get_json()["mismatches"] == ["postcode"]
    assert log.verbs() == ["identity.failed"]
    one = cand.post(f"/clients/{dupre.id}/verify-identity", {"client_number": "T90001"})
    assert one.status_code == 422 and "identity" in one.get_json()["error"]["fields"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/clients", None),
        ("get", "/clients/{id}", None),
        ("post", "/clients", {"segment": "b2c", "last_name": "X"}),
        ("patch", "/clients/{id}", {"city": "Paris"}),
        ("post", "/clients/{id}/verify-identity", {"postcode": "1", "last_name": "X"}),
    ],
)
def test_auth_and_role_refusals(api, people, shift, dupre, method, path, body):
    path = path.format(id=dupre.id)
    anonymous = getattr(api, method)(path, body) if body is not None else api.get(path)
    assert anonymous.status_code == 401
    trainer = api.as_("formateur")
    refused = getattr(trainer, method)(path, body) if body is not None else trainer.get(path)
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/clients/{id}", None),
        ("patch", "/clients/{id}", {"city": "Paris"}),
        ("post", "/clients/{id}/verify-identity", {"postcode": "69001", "last_name": "X"}),
    ],
)
def test_another_attempts_client_is_not_found(cand, foreign, log, method, path, body):
    path = path.format(id=foreign.id)
    response = getattr(cand, method)(path, body) if body is not None else cand.get(path)
    assert response.status_code == 404
    assert log.verbs() == []


@pytest.mark.parametrize("path", ["/clients", "/clients/{id}/verify-identity"])
def test_malformed_json_is_a_400(cand, client, dupre, path):
    response = client.post(
        "/api/v1" + path.format(id=dupre.id),
        data="{not json",
        headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    patch = client.patch(
        f"/api/v1/clients/{dupre.id}",
        data="[1, 2]",
        headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
    )
    assert patch.status_code == 400
