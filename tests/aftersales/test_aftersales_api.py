"""After-sales API: tracking read, investigation, re-ship, returns, credit notes and refunds,
with their refusals (401, 403, 404, 409, 422) and the actions they record."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.empty_world


@pytest.fixture
def cand(api, world):
    """cand1's API client."""
    return api.as_("candidat1")


def test_tracking_investigation_and_reship(cand, world, log):
    summary = cand.get(f"/orders/{world.late.id}/after-sales").get_json()
    assert summary["deliveries"][0]["status"] == "incident"
    assert "events" not in summary["deliveries"][0]  # events only through the recorded read
    assert log.verbs() == []
    read = cand.post(f"/orders/{world.late.id}/tracking")
    assert read.status_code == 200
    events = read.get_json()["items"][0]["events"]
    assert [e["kind"] for e in events] == ["picked_up", "incident"]
    assert events[1]["incident"] == "delayed"
    parcel = world.parcel.id
    opened = cand.post(f"/deliveries/{parcel}/investigation", {"note": "Client prévenu"})
    assert opened.status_code == 200 and opened.get_json()["status"] == "investigating"
    again = cand.post(f"/deliveries/{parcel}/investigation")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    shipped = cand.post(f"/deliveries/{parcel}/reship")
    assert shipped.status_code == 201 and shipped.get_json()["status"] == "preparing"
    assert log.verbs() == [
        "delivery.tracking_read",
        "delivery.investigation_opened",
        "delivery.reshipped",
    ]


def test_no_tracking_on_an_order_not_shipped(cand, world, log):
    refused = cand.post(f"/orders/{world.paid.id}/tracking")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "no_delivery"
    assert log.verbs() == []


def test_return_credit_note_refund(cand, world, log):
    line = world.delivered.lines[0]
    ret = cand.post(
        f"/orders/{world.delivered.id}/returns",
        {"lines": [{"line_id": line.id, "quantity": 2}], "reason": "Ne convient pas"},
    )
    assert ret.status_code == 201, ret.get_json()
    body = ret.get_json()
    assert body["number"].startswith("RET-") and body["amount"] == "120.00"
    note = cand.post(f"/returns/{body['id']}/credit-note")
    assert note.status_code == 201 and note.get_json()["kind"] == "return"
    refund = cand.post(f"/credit-notes/{note.get_json()['id']}/refund")
    assert refund.status_code == 201
    assert refund.get_json()["masked_card"] == "411111******1111"
    listed = cand.get("/credit-notes", client_id=world.consumer.id).get_json()
    assert listed["total"] == 1 and listed["items"][0]["status"] == "refunded"
    assert log.verbs() == ["return.authorised", "credit_note.issued", "refund.recorded"]


@pytest.mark.parametrize(
    ("order", "text"),
    [("old", "Délai de rétractation dépassé"), ("pro", "Client professionnel")],
)
def test_withdrawal_refusals_are_422_on_order_id(cand, world, log, order, text):
    refused = cand.post(f"/orders/{getattr(world, order).id}/returns")
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["fields"]["order_id"].startswith(text)
    assert log.verbs() == []


def test_return_before_shipping_is_409(cand, world, log):
    refused = cand.post(f"/orders/{world.paid.id}/returns")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"lines": "all"}, "lines"),
        ({"lines": [{"line_id": 999999, "quantity": 1}]}, "lines[0].line_id"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_bad_return_bodies_name_the_field(cand, world, log, body, field):
    refused = cand.post(f"/orders/{world.delivered.id}/returns", body)
    assert refused.status_code == 422
    assert field in refused.get_json()["error"]["fields"]
    assert log.verbs() == []


def test_goodwill_and_its_limits(cand, world, log):
    body = {"client_id": world.consumer.id, "amount": "20.00", "reason": "Retard"}
    made = cand.post("/credit-notes", {**body, "order_id": world.delivered.id})
    assert made.status_code == 201 and made.get_json()["amount"] == "20.00"
    over = cand.post("/credit-notes", {**body, "amount": "80.00"})
    assert over.status_code == 422
    assert "délégation" in over.get_json()["error"]["fields"]["amount"]
    missing = cand.post("/credit-notes", {"client_id": world.consumer.id})
    assert set(missing.get_json()["error"]["fields"]) == {"amount", "reason"}
    assert log.verbs() == ["credit_note.issued"]


def test_goodwill_on_an_account_alone_cannot_be_refunded(cand, world, log):
    body = {"client_id": world.consumer.id, "amount": "5.00", "reason": "Geste"}
    note = cand.post("/credit-notes", body).get_json()
    refused = cand.post(f"/credit-notes/{note['id']}/refund")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "no_original_payment"


def test_credit_notes_are_listed_newest_first_and_by_a_client_of_the_attempt(cand, world):
    body = {"client_id": world.consumer.id, "reason": "Geste"}
    first = cand.post("/credit-notes", {**body, "amount": "5.00"}).get_json()
    second = cand.post("/credit-notes", {**body, "amount": "6.00"}).get_json()
    listed = cand.get("/credit-notes", client_id=world.consumer.id, limit=1)
    assert listed.get_json() == {"items": [second], "total": 2}
    assert [n["id"] for n in cand.get("/credit-notes").get_json()["items"]] == [
        second["id"],
        first["id"],
    ]
    assert cand.get("/credit-notes", client_id=world.pro.client_id).get_json()["total"] == 0
    foreign = cand.get("/credit-notes", client_id=world.foreign_order.client_id)
    assert foreign.status_code == 404
    typed = cand.get("/credit-notes", client_id="un")
    assert typed.status_code == 422 and list(typed.get_json()["error"]["fields"]) == ["client_id"]


def test_roles_and_attempts(api, world):
    trainer = api.as_("formateur")
    assert trainer.post(f"/orders/{world.late.id}/tracking").status_code == 403
    cand = api.as_("candidat1")
    assert cand.post(f"/orders/{world.foreign_order.id}/returns").status_code == 404
    assert cand.post("/deliveries/999999/reship").status_code == 404
    assert api.post(f"/orders/{world.late.id}/tracking").status_code == 401


def test_the_openapi_document_lists_the_after_sales_operations(api, world):
    paths = api.get("/openapi.json").get_json()["paths"]
    for path in (
        "/orders/{order_id}/tracking",
        "/orders/{order_id}/returns",
        "/deliveries/{delivery_id}/reship",
        "/credit-notes/{note_id}/refund",
    ):
        assert path in paths or f"/api/v1{path}" in paths, path
