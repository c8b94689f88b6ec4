"""A candidate's phone sale through the API: the attempt whose statements the xAPI tests read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

CARD = "4111 1111 1111 1111"
BAD_CARD = "4111 1111 1111 1112"  # fails the Luhn check: a refused payment, masked
NOTE = "Cliente ravie, rappeler Mme Dubois au 06 12 34 56 78"
SAID = "Bonjour, Plateau Bureau Direct, Camille à votre écoute."
OUT_OF_STOCK = "PAP-A4-90-5"


@dataclass
class Sale:
    """What the flow did: ids the tests look for in the statements."""

    attempt_id: int
    client_id: int
    order_id: int
    contact_id: int
    call_id: int


def _ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def sale(api, shift) -> Sale:
    """cand1 answers a call, sells with a substitute and an additional sale, pays by card."""
    cand, trainer = api.as_("candidat1"), api.as_("formateur")
    attempt_id = cand.get("/me").get_json()["attempt"]["id"]
    _ok(cand.post("/phone/state", {"state": "ready"}))
    call = _ok(
        trainer.post(f"/attempts/{attempt_id}/inbound-calls", {"number": "04 65 71 13 05"}), 201
    )
    answered = _ok(cand.post(f"/calls/{call['id']}/answer"))
    contact_id = answered["contact_id"]
    _ok(cand.post(f"/calls/{call['id']}/say", {"text": SAID}))
    client_id = cand.get("/clients", phone="+33 4 65 71 13 05").get_json()["items"][0]["id"]
    _ok(
        cand.post(
            f"/clients/{client_id}/verify-identity",
            {"client_number": "C10002", "postcode": "69006"},
        )
    )
    order = _ok(cand.post("/orders", {"client_id": client_id}), 201)
    product = cand.get("/products", sku=OUT_OF_STOCK).get_json()["items"][0]
    refused = cand.post(
        f"/orders/{order['id']}/lines", {"product_id": product["id"], "quantity": 2}
    )
    substitute = refused.get_json()["error"]["substitutes"][0]
    offer = {"kind": "substitute", "product_id": substitute["id"], "accepted": True}
    _ok(cand.post(f"/orders/{order['id']}/offers", offer | {"for_product_id": product["id"]}), 201)
    line = {"product_id": substitute["id"], "quantity": 2, "replaces_product_id": product["id"]}
    _ok(cand.post(f"/orders/{order['id']}/lines", line), 201)
    complement = cand.get(f"/products/{substitute['id']}").get_json()["complements"][0]
    offer = {"kind": "additional", "product_id": complement["id"], "accepted": True}
    _ok(cand.post(f"/orders/{order['id']}/offers", offer), 201)
    line = {"product_id": complement["id"], "quantity": 1, "additional": True}
    _ok(cand.post(f"/orders/{order['id']}/lines", line), 201)
    _ok(cand.post(f"/orders/{order['id']}/recap"))
    _ok(cand.post(f"/orders/{order['id']}/confirm"))
    total = cand.get(f"/orders/{order['id']}").get_json()["total"]
    expiry = date.today().replace(year=date.today().year + 1).strftime("%m/%y")
    payment = {"order_id": order["id"], "method": "card", "amount": total}
    bad = {"number": BAD_CARD, "expiry": expiry, "cvv": "123"}
    _ok(cand.post("/payments", payment | {"card": bad}), 422)
    good = {"number": CARD, "expiry": expiry, "cvv": "123"}
    _ok(cand.post("/payments", payment | {"card": good}), 201)
    _ok(cand.post(f"/calls/{call['id']}/hangup"))
    _ok(cand.post(f"/contacts/{contact_id}/qualify", {"code": "VENTE", "note": NOTE}))
    return Sale(attempt_id, client_id, order["id"], contact_id, call["id"])
