"""The catalog API: the contract's fields, searches recorded, refusals."""

from __future__ import annotations

import pytest

from crm.db import db


@pytest.fixture
def cand(api, catalog):
    """cand1's API client."""
    return api.as_("candidat1")


def test_product_has_exactly_the_contract_fields(cand, catalog):
    response = cand.get(f"/products/{catalog.ream.id}")
    assert response.status_code == 200
    body = response.get_json()
    assert {
        "id",
        "sku",
        "name",
        "sale_unit",
        "unit_price",
        "stock",
        "available",
        "restock_date",
        "substitutes",
        "complements",
        "category",
        "vat_rate",
        "promotion",
    } <= set(body)
    assert body["sale_unit"] == {"label": "Carton de 5 ramettes", "quantity": 5}
    assert (body["unit_price"], body["unit_price_incl_vat"], body["vat_rate"]) == (
        "24.90",
        "29.88",
        "20.00",
    )
    assert body["stock"] == 0 and body["available"] is False
    assert body["restock_date"] == catalog.ream.restock_date.isoformat()
    assert [s["sku"] for s in body["substitutes"]] == ["TST-ECO"]
    assert body["substitutes"][0]["available"] is True
    assert set(body["substitutes"][0]) >= {"id", "sku", "name", "stock", "available", "unit_price"}
    assert [c["sku"] for c in body["complements"]] == ["TST-ENV"]
    assert body["promotion"] is None


def test_promotion_applies_today(cand, catalog):
    body = cand.get(f"/products/{catalog.envelopes.id}").get_json()
    assert body["promotion"]["code"] == "TSTENV"
    assert body["promotion"]["percent"] == "15.00" and body["promotion"]["unit_price"] == "10.20"


def test_search_is_recorded_and_paged(cand, catalog, log):
    body = cand.get("/products", q="élysée").get_json()
    assert body["total"] >= 2
    assert {"TST-RAM", "TST-ECO"} <= {p["sku"] for p in body["items"]}
    assert cand.get("/products", sku="TST-ENV").get_json()["items"][0]["name"] == "Enveloppes kraft"
    paged = cand.get("/products", q="élysée", limit=1, offset=1).get_json()
    assert len(paged["items"]) == 1 and paged["total"] == body["total"]
    db.session.expire_all()
    assert [a.verb for a in log.new()] == ["product.searched"] * 3
    assert log.new()[0].payload["query"] == "élysée"


def test_stock_check_by_quantity_is_recorded(cand, catalog, log):
    body = cand.get(f"/products/{catalog.envelopes.id}", quantity=3).get_json()
    assert body["stock_check"] == {"quantity": 3, "enough": True}
    assert cand.get(f"/products/{catalog.envelopes.id}", quantity="x").status_code == 422
    db.session.expire_all()
    assert [a.verb for a in log.new()] == ["stock.checked"]


def test_refusals(api, cand, catalog):
    assert api.get("/products").status_code == 401
    assert api.as_("jury").get("/products").status_code == 403
    assert api.as_("formateur").get(f"/products/{catalog.ream.id}").status_code == 403
    assert cand.get(f"/products/{catalog.foreign.id}").status_code == 404
    assert cand.get("/products/999999").status_code == 404
    assert cand.get("/products", limit=0).status_code == 422
    long = cand.get("/products", q="x" * 101)
    assert long.status_code == 422 and "q" in long.get_json()["error"]["fields"]
    assert api.as_("candidat3").get("/products").status_code == 404
