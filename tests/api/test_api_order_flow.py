"""Acceptance: through the API alone a candidate runs the whole phone order; the log holds it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db

OUT_OF_STOCK = "PAP-A4-90-5"


def test_whole_order_flow_through_the_api(api, shift):
    cand = api.as_("candidat1")

    # The caller's number, typed in another format than the file's.
    found = cand.get("/clients", phone="+33 4 65 71 13 05").get_json()
    assert found["total"] == 1
    client_id = found["items"][0]["id"]
    file = cand.get(f"/clients/{client_id}").get_json()
    assert file["number"] == "C10002" and file["phones"]

    verified = cand.post(
        f"/clients/{client_id}/verify-identity", {"client_number": "C10002", "postcode": "69006"}
    ).get_json()
    assert verified["verified"] is True and verified["mismatches"] == []

    contact = cand.post(
        "/contacts", {"client_id": client_id, "channel": "phone", "direction": "inbound"}
    )
    assert contact.status_code == 201
    contact_id = contact.get_json()["id"]

    order = cand.post("/orders", {"client_id": client_id}).get_json()
    product = cand.get("/products", sku=OUT_OF_STOCK).get_json()["items"][0]
    assert product["available"] is False and product["substitutes"]

    refused = cand.post(
        f"/orders/{order['id']}/lines", {"product_id": product["id"], "quantity": 2}
    )
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "out_of_stock" and error["restock_date"] and error["substitutes"]
    substitute = error["substitutes"][0]

    offered = cand.post(
        f"/orders/{order['id']}/offers",
        {
            "kind": "substitute",
            "product_id": substitute["id"],
            "for_product_id": product["id"],
            "accepted": True,
        },
    )
    assert offered.status_code == 201
    line = cand.post(
        f"/orders/{order['id']}/lines",
        {"product_id": substitute["id"], "quantity": 2, "replaces_product_id": product["id"]},
    )
    assert line.status_code == 201, line.get_json()

    complement = cand.get(f"/products/{substitute['id']}").get_json()["complements"][0]
    assert (
        cand.post(
            f"/orders/{order['id']}/offers",
            {"kind": "additional", "product_id": complement["id"], "accepted": True},
        ).status_code
        == 201
    )
    assert (
        cand.post(
            f"/orders/{order['id']}/lines",
            {"product_id": complement["id"], "quantity": 1, "additional": True},
        ).status_code
        == 201
    )

    recap = cand.post(f"/orders/{order['id']}/recap")
    assert recap.status_code == 200
    confirmed = cand.post(f"/orders/{order['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"
    total = cand.get(f"/orders/{order['id']}").get_json()["total"]

    expiry = date.today().replace(year=date.today().year + 1).strftime("%m/%y")
    payment = cand.post(
        "/payments",
        {
            "order_id": order["id"],
            "method": "card",
            "amount": total,
            "card": {"number": "4111 1111 1111 1111", "expiry": expiry, "cvv": "123"},
        },
    )
    assert payment.status_code == 201, payment.get_json()
    assert payment.get_json()["masked_card"] == "411111******1111"

    qualified = cand.post(
        f"/contacts/{contact_id}/qualify", {"code": "VENTE", "note": "Commande passée, réglée CB."}
    )
    assert qualified.status_code == 200

    # The evaluator reads every step, in order, from a chain that holds.
    jury = api.as_("jury")
    attempt_id = cand.get("/me").get_json()["attempt"]["id"]
    actions = jury.get(f"/attempts/{attempt_id}/actions", limit=200).get_json()["items"]
    verbs = [a["verb"] for a in actions]
    expected = [
        "client.searched",
        "client.viewed",
        "identity.verified",
        "contact.opened",
        "order.created",
        "order.out_of_stock",
        "offer.made",
        "order.line_added",
        "offer.made",
        "order.line_added",
        "order.recap_read",
        "order.confirmed",
        "payment.recorded",
        "contact.qualified",
    ]
    cursor = 0
    for verb in expected:  # each expected verb appears after the previous one
        assert verb in verbs[cursor:], (verb, verbs)
        cursor = verbs.index(verb, cursor) + 1
    during_call = [a for a in actions if a["verb"] in ("order.confirmed", "payment.recorded")]
    assert all(a["interaction_id"] == contact_id for a in during_call)
    assert jury.get(f"/attempts/{attempt_id}/verify").get_json()["valid"] is True
    assert "4111111111111111" not in str(actions) and "123" not in str(
        [a["payload"] for a in actions if a["verb"] == "payment.recorded"]
    )

    # A tampered row is detected and named.
    target = next(a for a in actions if a["verb"] == "order.confirmed")
    db.session.execute(
        sa.update(Action).where(Action.id == target["id"]).values(payload={"total": "0.01"})
    )
    db.session.commit()
    verdict = jury.get(f"/attempts/{attempt_id}/verify").get_json()
    assert verdict == {**verdict, "valid": False, "broken_at": target["id"]}
