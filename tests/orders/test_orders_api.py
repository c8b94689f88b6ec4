"""The orders API: every endpoint, its answers and its refusals (401/403/404/409/422/400)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order, OrderLine


@pytest.fixture
def cand(api, world):
    """cand1's API client."""
    return api.as_("candidat1")


@pytest.fixture
def draft(cand, world):
    """A draft order (JSON) for the cash client."""
    response = cand.post("/orders", {"client_id": world.cash.id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _verbs(attempt, verb):
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == verb)
    ).all()


def test_create_order(cand, world, attempt):
    response = cand.post("/orders", {"client_id": world.cash.id})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["client_id"] == world.cash.id
    assert body["number"].startswith("CMD-") and body["lines"] == [] and body["offers"] == []
    assert (body["total"], body["total_net"], body["total_vat"]) == ("0.00", "0.00", "0.00")
    assert body["recap_read"] is False
    assert len(_verbs(attempt, "order.created")) == 1


def test_create_order_refusals(api, cand, world, client):
    assert api.post("/orders", {"client_id": world.cash.id}).status_code == 401
    trainer = api.as_("formateur")
    assert trainer.post("/orders", {"client_id": world.cash.id}).status_code == 403
    missing = cand.post("/orders", {})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["fields"] == {"client_id": "Champ obligatoire."}
    assert cand.post("/orders", {"client_id": "x"}).status_code == 422
    assert cand.post("/orders", {"client_id": world.foreign_client.id}).status_code == 404
    malformed = client.post(
        "/api/v1/orders",
        data="{not json",
        headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
    )
    assert malformed.status_code == 400
    assert malformed.get_json()["error"]["code"] == "malformed_json"
    drafts = sa.select(sa.func.count()).select_from(Order).where(Order.historical.is_(False))
    assert db.session.scalar(drafts.where(Order.attempt_id == world.cash.attempt_id)) == 0


def test_candidate_without_attempt_gets_404(api, world):
    response = api.as_("candidat3").post("/orders", {"client_id": world.cash.id})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "no_attempt"


def test_get_order_and_foreign_order(cand, draft, world):
    response = cand.get(f"/orders/{draft['id']}")
    assert response.status_code == 200 and response.get_json()["number"] == draft["number"]
    assert cand.get(f"/orders/{world.foreign_order.id}").status_code == 404
    assert cand.get("/orders/999999").status_code == 404


def test_list_orders_by_client(cand, draft, world):
    body = cand.get("/orders", client_id=world.cash.id).get_json()
    assert body["total"] == 1 and body["items"][0]["id"] == draft["id"]
    assert cand.get("/orders", client_id=world.account.id).get_json()["total"] == 0
    assert cand.get("/orders", client_id=world.foreign_client.id).status_code == 404
    assert cand.get("/orders", status="bogus").status_code == 422
    assert draft["id"] in [o["id"] for o in cand.get("/orders", status="draft").get_json()["items"]]


def test_add_line_and_merge(cand, draft, world):
    url = f"/orders/{draft['id']}/lines"
    response = cand.post(url, {"product_id": world.sub.id, "quantity": 2})
    assert response.status_code == 201
    body = response.get_json()
    line = body["line"]
    assert line["sku"] == "TST-RAM-ECO" and line["quantity"] == 2
    assert line["sale_unit"] == {"label": "Carton de 5 ramettes", "quantity": 5}
    assert (line["unit_price"], line["total_net"], line["total"]) == ("21.50", "43.00", "51.60")
    assert body["total"] == "51.60" and body["total_vat"] == "8.60"
    merged = cand.post(url, {"product_id": world.sub.id, "quantity": "3"}).get_json()
    assert [ln["quantity"] for ln in merged["lines"]] == [5]


def test_add_line_refusals(cand, draft, world, attempt):
    url = f"/orders/{draft['id']}/lines"
    bad = cand.post(url, {"product_id": world.sub.id, "quantity": 1.5})
    assert bad.status_code == 422
    assert bad.get_json()["error"]["fields"] == {
        "quantity": "Quantité en Cartons de 5 ramettes : un nombre entier ≥ 1."
    }
    assert cand.post(url, {"product_id": world.sub.id}).status_code == 422
    assert cand.post(url, {"quantity": 1}).get_json()["error"]["fields"] == {
        "product_id": "Champ obligatoire."
    }
    flag = cand.post(url, {"product_id": world.sub.id, "quantity": 1, "backorder": "yes"})
    assert flag.status_code == 422
    assert (
        cand.post(url, {"product_id": world.foreign_product.id, "quantity": 1}).status_code == 404
    )
    foreign = f"/orders/{world.foreign_order.id}/lines"
    assert cand.post(foreign, {"product_id": world.sub.id, "quantity": 1}).status_code == 404
    lines = sa.select(sa.func.count()).select_from(OrderLine)
    assert db.session.scalar(lines.where(OrderLine.order_id == draft["id"])) == 0
    assert _verbs(attempt, "order.line_added") == []


def test_out_of_stock_is_409_with_substitutes_and_keeps_its_evidence(cand, draft, world, attempt):
    response = cand.post(
        f"/orders/{draft['id']}/lines", {"product_id": world.short.id, "quantity": 4}
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "out_of_stock"
    assert error["restock_date"] == world.short.restock_date.isoformat()
    assert error["stock"] == 0 and error["product_id"] == world.short.id
    assert [s["sku"] for s in error["substitutes"]] == ["TST-RAM-ECO", "TST-RAM-RECY"]
    assert error["substitutes"][0] == {
        "id": world.sub.id,
        "sku": "TST-RAM-ECO",
        "name": "Ramette test éco",
        "sale_unit": {"label": "Carton de 5 ramettes", "quantity": 5},
        "stock": 40,
        "available": True,
        "restock_date": None,
        "unit_price": "21.50",
    }
    assert "Rupture : Ramette test" in error["message"]
    db.session.expire_all()
    assert len(_verbs(attempt, "order.out_of_stock")) == 1, "committed before answering"
    assert cand.get(f"/orders/{draft['id']}").get_json()["lines"] == []


def test_substitution_flow_then_backorder(cand, draft, world):
    base = f"/orders/{draft['id']}"
    cand.post(base + "/lines", {"product_id": world.short.id, "quantity": 4})
    offer = cand.post(
        base + "/offers",
        {
            "kind": "substitute",
            "product_id": world.sub.id,
            "for_product_id": world.short.id,
            "accepted": True,
        },
    )
    assert offer.status_code == 201
    assert offer.get_json()["for_sku"] == "TST-RAM" and offer.get_json()["accepted"] is True
    line = cand.post(
        base + "/lines",
        {"product_id": world.sub.id, "quantity": 4, "replaces_product_id": world.short.id},
    )
    assert line.status_code == 201 and line.get_json()["line"]["replaces_sku"] == "TST-RAM"
    back = cand.post(
        base + "/lines", {"product_id": world.low.id, "quantity": 5, "backorder": True}
    )
    assert back.status_code == 201 and back.get_json()["line"]["backorder"] is True
    wrong = cand.post(
        base + "/lines",
        {"product_id": world.comp.id, "quantity": 1, "replaces_product_id": world.low.id},
    )
    assert wrong.status_code == 422 and "replaces_product_id" in wrong.get_json()["error"]["fields"]


def test_offers_refusals(cand, draft, world):
    url = f"/orders/{draft['id']}/offers"
    no_answer = cand.post(url, {"kind": "additional", "product_id": world.comp.id})
    assert no_answer.status_code == 422 and "accepted" in no_answer.get_json()["error"]["fields"]
    bad_kind = cand.post(url, {"kind": "gift", "product_id": world.comp.id, "accepted": True})
    assert bad_kind.status_code == 422 and "kind" in bad_kind.get_json()["error"]["fields"]
    no_for = cand.post(url, {"kind": "substitute", "product_id": world.sub.id, "accepted": True})
    assert no_for.get_json()["error"]["fields"] == {
        "for_product_id": "Indiquez le produit en rupture que ce produit remplace."
    }
    foreign = cand.post(
        url, {"kind": "additional", "product_id": world.foreign_product.id, "accepted": True}
    )
    assert foreign.status_code == 404
    assert cand.get(f"/orders/{draft['id']}").get_json()["offers"] == []


def test_remove_line(cand, draft, world):
    base = f"/orders/{draft['id']}"
    added = cand.post(base + "/lines", {"product_id": world.sub.id, "quantity": 1})
    line_id = added.get_json()["line"]["id"]
    assert cand.delete(f"{base}/lines/999999").status_code == 404
    other = cand.post("/orders", {"client_id": world.cash.id}).get_json()
    assert cand.delete(f"/orders/{other['id']}/lines/{line_id}").status_code == 404
    response = cand.delete(f"{base}/lines/{line_id}")
    assert response.status_code == 200 and response.get_json()["lines"] == []


def test_recap_and_confirm(cand, draft, world):
    base = f"/orders/{draft['id']}"
    empty = cand.post(base + "/recap")
    assert empty.status_code == 409 and empty.get_json()["error"]["code"] == "empty_order"
    assert cand.post(base + "/confirm").get_json()["error"]["code"] == "empty_order"
    cand.post(base + "/lines", {"product_id": world.promo.id, "quantity": 2})
    recap = cand.post(base + "/recap")
    assert recap.status_code == 200
    body = recap.get_json()
    assert body["number"] == draft["number"] and body["recap_read"] is True
    assert body["lines"][0]["discount_percent"] == "10.00"
    assert (body["total_net"], body["total_vat"], body["total"]) == ("18.00", "3.60", "21.60")
    assert body["delivery_terms"] and body["payment_terms"] and body["delivery_estimate"]
    assert cand.get(base).get_json()["recap_read"] is True
    confirmed = cand.post(base + "/confirm")
    assert confirmed.status_code == 200
    assert (
        confirmed.get_json()["status"] == "confirmed" and confirmed.get_json()["total"] == "21.60"
    )
    again = cand.post(base + "/confirm")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"
    assert (
        cand.post(base + "/lines", {"product_id": world.sub.id, "quantity": 1}).status_code == 409
    )


def test_credit_limit_exceeded_is_409_with_figures_and_evidence(cand, world, attempt):
    order = cand.post("/orders", {"client_id": world.account.id}).get_json()
    cand.post(f"/orders/{order['id']}/lines", {"product_id": world.sub.id, "quantity": 4})
    response = cand.post(f"/orders/{order['id']}/confirm")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "credit_limit_exceeded"
    assert (
        error["credit_limit"],
        error["outstanding"],
        error["order_total"],
        error["available"],
    ) == (
        "500.00",
        "400.00",
        "103.20",
        "100.00",
    )
    db.session.expire_all()
    assert len(_verbs(attempt, "order.credit_refused")) == 1
    assert cand.get(f"/orders/{order['id']}").get_json()["status"] == "draft"


def test_cancel(cand, draft, world, client):
    base = f"/orders/{draft['id']}"
    malformed = client.post(
        "/api/v1" + base + "/cancel",
        data="[",
        headers={"Authorization": f"Bearer {cand.token}", "Content-Type": "application/json"},
    )
    assert malformed.status_code == 400
    response = cand.post(base + "/cancel", {"reason": "doublon"})
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert cand.post(base + "/cancel").status_code == 409
    assert cand.post(f"/orders/{world.foreign_order.id}/cancel").status_code == 404


def test_trainer_is_refused_everywhere(api, draft, world):
    trainer = api.as_("formateur")
    base = f"/orders/{draft['id']}"
    assert trainer.get(base).status_code == 403
    assert trainer.get("/orders").status_code == 403
    line = {"product_id": world.sub.id, "quantity": 1}
    assert trainer.post(base + "/lines", line).status_code == 403
    assert trainer.post(base + "/recap").status_code == 403
    assert trainer.post(base + "/confirm").status_code == 403
    assert trainer.post(base + "/cancel").status_code == 403
    assert trainer.delete(base + "/lines/1").status_code == 403


def test_openapi_documents_the_order_endpoints(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/orders",
        "/api/v1/orders/{order_id}",
        "/api/v1/orders/{order_id}/lines",
        "/api/v1/orders/{order_id}/lines/{line_id}",
        "/api/v1/orders/{order_id}/offers",
        "/api/v1/orders/{order_id}/recap",
        "/api/v1/orders/{order_id}/confirm",
        "/api/v1/orders/{order_id}/cancel",
    ):
        assert path in paths
    assert "201" in paths["/api/v1/orders"]["post"]["responses"]


def test_default_scenario_supports_a_substitution_order(cand, attempt):
    """The seeded catalog: a stock-out offers its substitutes, one is taken, the order confirms."""
    products = cand.get("/products", limit=200).get_json()["items"]
    short = next(p for p in products if not p["available"] and p["substitutes"])
    sub = next(s for s in short["substitutes"] if s["available"])
    buyer = db.session.scalars(
        sa.select(Client).where(
            Client.attempt_id == attempt.id, Client.kind == "client", Client.credit_limit == 0
        )
    ).first()
    order = cand.post("/orders", {"client_id": buyer.id}).get_json()
    base = f"/orders/{order['id']}"
    refused = cand.post(base + "/lines", {"product_id": short["id"], "quantity": 1})
    assert refused.status_code == 409
    assert [s["sku"] for s in refused.get_json()["error"]["substitutes"]] == [
        s["sku"] for s in short["substitutes"]
    ]
    offer = {"kind": "substitute", "product_id": sub["id"], "for_product_id": short["id"]}
    assert cand.post(base + "/offers", {**offer, "accepted": True}).status_code == 201
    line = {"product_id": sub["id"], "quantity": 1, "replaces_product_id": short["id"]}
    assert cand.post(base + "/lines", line).status_code == 201
    assert cand.post(base + "/recap").get_json()["substitutions"][0]["replaces"] == short["name"]
    assert cand.post(base + "/confirm").get_json()["status"] == "confirmed"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/orders"),
        ("post", "/orders"),
        ("get", "/orders/1"),
        ("post", "/orders/1/lines"),
        ("delete", "/orders/1/lines/1"),
        ("post", "/orders/1/offers"),
        ("post", "/orders/1/recap"),
        ("post", "/orders/1/confirm"),
        ("post", "/orders/1/cancel"),
        ("get", "/products"),
        ("get", "/products/1"),
    ],
)
def test_every_endpoint_needs_a_token(client, method, path):
    response = getattr(client, method)("/api/v1" + path, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
