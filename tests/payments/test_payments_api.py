"""API: POST/GET /payments, GET /invoices and /invoices/<id>, with every refusal."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db
from crm.payments.models import Payment

CARD = {"number": "4111 1111 1111 1111", "expiry": "12/30", "cvv": "123"}


def _verbs(attempt) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb).where(Action.attempt_id == attempt.id).order_by(Action.seq)
        )
    )


def test_card_payment_on_an_order(api, world, attempt):
    me = api.as_("candidat1")
    response = me.post(
        "/payments",
        {"order_id": world.order.id, "method": "card", "amount": "59.76", "card": CARD},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["masked_card"] == "411111******1111"
    assert (body["amount"], body["status"], body["order_id"]) == (
        "59.76",
        "captured",
        world.order.id,
    )
    assert "4111111111111111" not in response.get_data(as_text=True)
    assert _verbs(attempt)[-1] == "payment.recorded"


def test_amount_with_a_french_comma_is_accepted(api, world):
    response = api.as_("candidat1").post(
        "/payments", {"invoice_id": world.overdue.id, "method": "transfer", "amount": "12,50"}
    )
    assert response.status_code == 201
    assert response.get_json()["amount"] == "12.50"


def test_bad_amounts_are_422_on_amount(api, world):
    me = api.as_("candidat1")
    for amount, words in (("0.005", "deux décimales"), ("100.01", "100,00"), ("abc", "Montant")):
        response = me.post(
            "/payments", {"invoice_id": world.overdue.id, "method": "cheque", "amount": amount}
        )
        assert response.status_code == 422
        assert words in response.get_json()["error"]["fields"]["amount"]


def test_a_refused_card_answers_422_and_keeps_its_evidence(api, world, attempt):
    response = api.as_("candidat1").post(
        "/payments",
        {
            "invoice_id": world.overdue.id,
            "method": "card",
            "amount": "10.00",
            "card": {"number": "4012888888881881", "expiry": "01/20", "cvv": "1"},
        },
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "card_refused"
    assert set(error["fields"]) == {"card.number", "card.expiry", "card.cvv"}
    assert error["fields"]["card.number"] == (
        "Cette carte n'est pas une carte d'entraînement du scénario."
    )
    assert "4012888888881881" not in response.get_data(as_text=True)
    db.session.expire_all()
    # Committed before answering: the refusal stays in the log.
    assert _verbs(attempt)[-1] == "payment.refused"
    refused = db.session.get(Payment, error["payment_id"])
    assert (refused.status, refused.masked_card) == ("refused", "401288******1881")


def test_card_fields_must_be_text(api, world):
    response = api.as_("candidat1").post(
        "/payments",
        {"invoice_id": world.overdue.id, "method": "card", "amount": "1", "card": {"number": 4}},
    )
    assert response.status_code == 422
    assert "card.number" in response.get_json()["error"]["fields"]
    response = api.as_("candidat1").post(
        "/payments", {"invoice_id": world.overdue.id, "method": "card", "amount": "1", "card": "x"}
    )
    assert response.get_json()["error"]["fields"] == {
        "card": "Objet attendu : {number, expiry, cvv}."
    }


def test_target_refusals(api, world, attempt):
    me = api.as_("candidat1")
    count = len(_verbs(attempt))
    neither = me.post("/payments", {"method": "cheque", "amount": "1"})
    assert neither.status_code == 422 and "order_id" in neither.get_json()["error"]["fields"]
    both = me.post(
        "/payments",
        {"order_id": world.order.id, "invoice_id": world.overdue.id, "method": "cheque",
         "amount": "1"},
    )  # fmt: skip
    assert both.status_code == 422 and "order_id" in both.get_json()["error"]["fields"]
    draft = me.post("/payments", {"order_id": world.draft.id, "method": "cheque", "amount": "1"})
    assert draft.status_code == 409
    assert draft.get_json()["error"]["code"] == "invalid_transition"
    paid = me.post("/payments", {"invoice_id": world.paid.id, "method": "cheque", "amount": "1"})
    assert paid.status_code == 409 and paid.get_json()["error"]["code"] == "already_paid"
    foreign = me.post(
        "/payments", {"invoice_id": world.foreign_invoice.id, "method": "cheque", "amount": "1"}
    )
    assert foreign.status_code == 404
    foreign = me.post(
        "/payments", {"order_id": world.foreign_order.id, "method": "cheque", "amount": "1"}
    )
    assert foreign.status_code == 404
    method = me.post("/payments", {"invoice_id": world.overdue.id, "method": "cash", "amount": "1"})
    assert method.status_code == 422 and "method" in method.get_json()["error"]["fields"]
    assert len(_verbs(attempt)) == count


def test_auth_role_and_malformed_json(api, client, world):
    body = {"invoice_id": world.overdue.id, "method": "cheque", "amount": "1"}
    assert api.post("/payments", body).status_code == 401
    assert api.as_("formateur").post("/payments", body).status_code == 403
    assert api.as_("jury").get("/invoices").status_code == 403
    me = api.as_("candidat1")
    response = client.post(
        "/api/v1/payments",
        data="{not json",
        headers={**me._headers(), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_payment_listing(api, world):
    me = api.as_("candidat1")
    me.post("/payments", {"invoice_id": world.overdue.id, "method": "cheque", "amount": "5"})
    listing = me.get("/payments", client_id=world.client.id).get_json()
    assert listing["total"] == 1
    assert listing["items"][0]["invoice_id"] == world.overdue.id
    assert me.get("/payments", client_id=world.other_client.id).get_json()["total"] == 0
    assert me.get("/payments", invoice_id=world.foreign_invoice.id).status_code == 404
    assert me.get("/payments", client_id="x").status_code == 422


def test_invoice_listing_for_a_client_is_recorded(api, world, attempt):
    me = api.as_("candidat1")
    response = me.get("/invoices", client_id=world.client.id)
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 4
    first = body["items"][0]
    assert set(first) == {
        "id", "number", "client_id", "order_id", "issued_on", "due_on", "amount", "amount_paid",
        "amount_due", "status", "dunning_level",
    }  # fmt: skip
    by_number = {item["number"]: item for item in body["items"]}
    assert by_number["T-FA-2"]["status"] == "partial"
    assert by_number["T-FA-2"]["amount_due"] == "150.00"
    assert by_number["T-FA-1"]["status"] == "overdue"
    assert by_number["T-FA-4"]["status"] == "paid"
    action = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()
    assert action.verb == "invoices.viewed"
    assert (action.object_type, action.object_id) == ("client", world.client.id)
    assert action.payload == {
        "client_id": world.client.id, "client": "T-PAY-1", "invoice": None, "status": None,
        "count": 4,
    }  # fmt: skip


def test_invoice_status_filter(api, world, attempt):
    me = api.as_("candidat1")
    for status, numbers in (
        ("overdue", ["T-FA-1"]),
        ("partial", ["T-FA-2"]),
        ("unpaid", ["T-FA-3"]),
        ("paid", ["T-FA-4"]),
    ):
        items = me.get("/invoices", client_id=world.client.id, status=status).get_json()["items"]
        assert [item["number"] for item in items] == numbers
    bad = me.get("/invoices", status="late")
    assert bad.status_code == 422 and "status" in bad.get_json()["error"]["fields"]
    # Without a client, nothing is recorded (it is not a client's history being read).
    count = len(_verbs(attempt))
    assert me.get("/invoices").status_code == 200
    assert len(_verbs(attempt)) == count
    assert me.get("/invoices", client_id=999999).status_code == 404


def test_invoice_detail(api, world):
    me = api.as_("candidat1")
    me.post("/payments", {"invoice_id": world.partial.id, "method": "cheque", "amount": "5"})
    response = me.get(f"/invoices/{world.partial.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["number"], body["amount_paid"], body["status"]) == ("T-FA-2", "55.00", "partial")
    assert [p["amount"] for p in body["payments"]] == ["5.00"]
    assert body["reminders"] == [] and body["promises"] == [] and body["payment_plans"] == []
    assert me.get(f"/invoices/{world.foreign_invoice.id}").status_code == 404
    assert me.get("/invoices/999999").status_code == 404


def test_openapi_documents_payment_and_dunning_endpoints(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    for path, method in (
        ("/api/v1/payments", "post"),
        ("/api/v1/payments", "get"),
        ("/api/v1/invoices", "get"),
        ("/api/v1/invoices/{invoice_id}", "get"),
        ("/api/v1/invoices/{invoice_id}/reminders", "post"),
        ("/api/v1/promises", "post"),
        ("/api/v1/payment-plans", "post"),
        ("/api/v1/payment-plans", "get"),
    ):
        assert method in paths[path], (path, method)
    create = paths["/api/v1/payments"]["post"]
    assert "201" in create["responses"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert {"method", "amount"} <= set(schema["required"])
    assert "card" in schema["properties"]
    query = {p["name"] for p in paths["/api/v1/invoices"]["get"]["parameters"]}
    assert {"client_id", "status"} <= query
