"""Contacts API: open, list, qualify, codes, callbacks, sales reps, appointments; and refusals."""

from __future__ import annotations

import pytest

from crm.contacts.models import Contact
from crm.db import db


@pytest.fixture
def cand(api, world):
    """cand1's API client."""
    return api.as_("candidat1")


def _open(cand, client_id, **extra):
    body = {"client_id": client_id, "channel": "phone", "direction": "inbound", **extra}
    response = cand.post("/contacts", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_open_list_and_qualify(cand, world, log):
    consumer = world["consumer"]
    contact = _open(cand, consumer.id, subject="Suivi de commande")
    assert contact["open"] is True and contact["client_id"] == consumer.id
    second = cand.post("/contacts", {"channel": "email", "direction": "inbound"})
    assert second.status_code == 409
    assert second.get_json()["error"]["code"] == "contact_open"
    assert second.get_json()["error"]["contact_id"] == contact["id"]

    listed = cand.get("/contacts", client_id=consumer.id, open="true").get_json()
    assert [c["id"] for c in listed["items"]] == [contact["id"]]

    response = cand.post(f"/contacts/{contact['id']}/qualify", {"code": "T-VENTE", "note": "OK"})
    assert response.status_code == 200
    assert response.get_json()["code"] == "T-VENTE" and response.get_json()["open"] is False
    again = cand.post(f"/contacts/{contact['id']}/qualify", {"code": "T-VENTE", "note": "OK"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_qualified"
    assert log.verbs() == ["contact.opened", "contact.qualified"]
    assert cand.get("/contacts", open="true").get_json()["total"] == 0


def test_qualification_codes_list_effects(cand, world):
    body = cand.get("/qualification-codes").get_json()
    codes = {item["code"]: item for item in body["items"]}
    assert codes["T-RAPPEL"]["effects"] == ["callback_required"]
    assert {"code", "label", "family", "effects"} <= set(codes["T-VENTE"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "NOPE", "note": "x"}, "code"),
        ({"code": "T-VENTE", "note": ""}, "note"),
        ({"code": "T-VENTE"}, "note"),
        ({"code": "T-RAPPEL", "note": "à rappeler"}, "code"),
    ],
)
def test_qualify_refusals_name_the_field(cand, world, log, body, field):
    contact = _open(cand, world["consumer"].id)
    log.mark()
    response = cand.post(f"/contacts/{contact['id']}/qualify", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert log.verbs() == []
    assert db.session.get(Contact, contact["id"]).qualified_at is None


def test_qualify_applies_do_not_call(cand, world):
    contact = _open(cand, world["consumer"].id)
    body = cand.post(
        f"/contacts/{contact['id']}/qualify", {"code": "T-STOP", "note": "Opposition"}
    ).get_json()
    assert body["effects"] == {"do_not_call": {"old": False, "new": True}}
    assert cand.get(f"/clients/{world['consumer'].id}").get_json()["do_not_call"] is True


def test_callback_and_appointment_then_rdv_code(cand, world, when, log):
    company = world["company"]
    contact = _open(cand, company.id)
    callback = cand.post(
        "/callbacks",
        {"client_id": company.id, "due_at": when(11).isoformat(), "reason": "Devis"},
    )
    assert callback.status_code == 201
    assert callback.get_json()["contact_id"] == contact["id"]
    reps = cand.get("/sales-reps").get_json()["items"]
    rep = next(r for r in reps if r["key"] == "rep-test")
    slot = rep["free_slots"][0]["starts_at"]
    booked = cand.post(
        "/appointments",
        {"client_id": company.id, "with": "rep-test", "starts_at": slot, "topic": "Démo"},
    )
    assert booked.status_code == 201
    assert booked.get_json()["with"]["key"] == "rep-test"
    taken = cand.post(
        "/appointments",
        {"client_id": company.id, "with": rep["id"], "starts_at": slot, "topic": "Démo"},
    )
    assert taken.status_code == 409 and taken.get_json()["error"]["code"] == "slot_taken"
    done = cand.post(f"/contacts/{contact['id']}/qualify", {"code": "T-RDV", "note": "RDV"})
    assert done.status_code == 200
    assert log.verbs() == [
        "contact.opened",
        "callback.scheduled",
        "appointment.booked",
        "contact.qualified",
    ]
    listed = cand.get("/callbacks", client_id=company.id).get_json()
    assert listed["total"] == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/contacts", {"channel": "fax", "direction": "inbound"}, "channel"),
        ("/contacts", {"channel": "phone"}, "direction"),
        (
            "/contacts",
            {"client_id": "abc", "channel": "phone", "direction": "inbound"},
            "client_id",
        ),
        ("/callbacks", {"client_id": 1, "due_at": "2030-01-07T11:00", "reason": "x"}, "due_at"),
        ("/callbacks", {"client_id": 1, "due_at": "demain", "reason": "x"}, "due_at"),
        ("/callbacks", {"client_id": 1, "due_at": "2030-01-07T11:00:00+01:00"}, "reason"),
        (
            "/appointments",
            {"client_id": 1, "starts_at": "2030-01-07T10:00:00+01:00", "topic": "x"},
            "with",
        ),
        (
            "/appointments",
            {
                "client_id": 1,
                "with": "rep-personne",
                "starts_at": "2030-01-07T10:00:00+01:00",
                "topic": "x",
            },
            "with",
        ),
    ],
)
def test_validation_refusals(cand, world, log, path, body, field):
    if body.get("client_id") == 1:
        body = {**body, "client_id": world["company"].id}
    response = cand.post(path, body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert log.verbs() == []


def test_consumer_callback_outside_windows_names_due_at(cand, world, when):
    response = cand.post(
        "/callbacks",
        {"client_id": world["consumer"].id, "due_at": when(21).isoformat(), "reason": "Soir"},
    )
    assert response.status_code == 422
    assert "10 h à 13 h" in response.get_json()["error"]["fields"]["due_at"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/contacts", {"channel": "phone", "direction": "inbound"}),
        ("get", "/contacts", None),
        ("get", "/qualification-codes", None),
        ("post", "/contacts/1/qualify", {"code": "T-VENTE", "note": "x"}),
        ("post", "/callbacks", {"client_id": 1, "due_at": "2030-01-07T11:00:00+01:00"}),
        ("get", "/callbacks", None),
        ("get", "/sales-reps", None),
        ("post", "/appointments", {"client_id": 1}),
    ],
)
def test_anonymous_401_and_trainer_403(api, people, world, method, path, body):
    call = getattr(api, method)
    assert (call(path, body) if body is not None else call(path)).status_code == 401
    trainer = getattr(api.as_("formateur"), method)
    assert (trainer(path, body) if body is not None else trainer(path)).status_code == 403


def test_another_attempts_ids_are_not_found(cand, world, foreign, other_attempt, log):
    foreign_contact = Contact(
        attempt_id=other_attempt.id, client_id=foreign.id, channel="phone", direction="inbound"
    )
    db.session.add(foreign_contact)
    db.session.commit()
    calls = [
        cand.post(
            "/contacts", {"client_id": foreign.id, "channel": "phone", "direction": "inbound"}
        ),
        cand.get(f"/contacts/{foreign_contact.id}"),
        cand.post(f"/contacts/{foreign_contact.id}/qualify", {"code": "T-VENTE", "note": "x"}),
        cand.post(
            "/callbacks",
            {"client_id": foreign.id, "due_at": "2030-01-07T11:00:00+01:00", "reason": "x"},
        ),
        cand.post(
            "/appointments",
            {
                "client_id": foreign.id,
                "with": "rep-test",
                "starts_at": "2030-01-07T10:00:00+01:00",
                "topic": "x",
            },
        ),
    ]
    assert [c.status_code for c in calls] == [404] * 5
    assert log.verbs() == []
    assert db.session.get(Contact, foreign_contact.id).qualified_at is None


@pytest.mark.parametrize("path", ["/contacts", "/callbacks", "/appointments", "qualify"])
def test_malformed_json(cand, client, world, path):
    if path == "qualify":
        path = f"/contacts/{_open(cand, world['consumer'].id)['id']}/qualify"
    response = client.post(
        "/api/v1" + path,
        data="{oops",
        headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
