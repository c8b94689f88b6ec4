"""Confirmation never sells stock that does not exist: what stock cannot fill is back-ordered on
the line (quantity and the catalogue's restock date), logged, and shown to the candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock
from crm.db import db
from crm.orders.checkout import cancel_order, confirm_order, read_recap
from crm.orders.services import add_line, create_order

STOCK = 33
DRAFTS = 6


@pytest.fixture
def stocked(world):
    """`sub` with 33 sale units in stock and a restock date in the catalogue."""
    world.sub.stock = STOCK
    world.sub.restock_date = clock.today() + timedelta(days=12)
    db.session.commit()
    return world.sub


def _drafts(ctx, world, product, quantity=STOCK, count=DRAFTS):
    orders = []
    for _ in range(count):
        order = create_order(ctx, world.cash)
        assert add_line(ctx, order, product, quantity).shortage is None  # all fit at entry
        orders.append(order)
    db.session.commit()
    return orders


def _taken(action) -> int:
    return sum(move["old"] - move["new"] for move in action.payload["stock"])


def test_six_drafts_of_the_whole_stock_confirmed_in_turn(ctx, world, stocked, log):
    orders = _drafts(ctx, world, stocked)
    log.new()
    for order in orders:
        assert confirm_order(ctx, order).refusal is None
        db.session.commit()
    assert stocked.stock == 0
    assert all(order.status == "confirmed" for order in orders)
    lines = [order.lines[0] for order in orders]
    assert [line.backorder_quantity for line in lines] == [0] + [STOCK] * (DRAFTS - 1)
    assert [line.backorder for line in lines] == [False] + [True] * (DRAFTS - 1)
    confirmations = [a for a in log.new() if a.verb == "order.confirmed"]
    assert sum(_taken(a) for a in confirmations) == STOCK
    restock = stocked.restock_date.isoformat()
    for order, action in zip(orders[1:], confirmations[1:], strict=True):
        assert action.payload["backorders"] == [
            {
                "line_id": order.lines[0].id,
                "sku": stocked.sku,
                "quantity": STOCK,
                "restock_date": restock,
            }
        ]
        assert action.payload["lines"][0]["backorder_quantity"] == STOCK
        assert action.payload["lines"][0]["restock_date"] == restock
    assert confirmations[0].payload["backorders"] == []


def test_a_partial_shortfall_back_orders_only_what_is_missing(ctx, world, stocked, log):
    first, second = _drafts(ctx, world, stocked, quantity=20, count=2)
    confirm_order(ctx, first)
    result = confirm_order(ctx, second)
    line = second.lines[0]
    assert (line.quantity, line.from_stock, line.backorder_quantity) == (20, 13, 7)
    assert [(b.quantity, b.restock_date) for b in result.backorders] == [(7, stocked.restock_date)]
    assert stocked.stock == 0
    recap = read_recap(ctx, second)
    assert [(rl.sku, rl.backorder_quantity) for rl in recap.backorders] == [(stocked.sku, 7)]
    # The 13 units in stock ship as usual; the line as a whole arrives after the restock.
    assert recap.delivery_estimate is not None
    assert recap.lines[0].delivery_estimate > recap.delivery_estimate
    # Cancelling gives back only what was taken from stock.
    cancel_order(ctx, second)
    assert stocked.stock == 13


def test_a_line_back_ordered_at_entry_takes_no_stock(ctx, world, stocked, order_for_cash):
    add_line(ctx, order_for_cash, world.short, 2, backorder=True)
    line = order_for_cash.lines[0]
    assert line.backorder_quantity == 2
    result = confirm_order(ctx, order_for_cash)
    assert result.backorders == () and world.short.stock == 0
    assert line.backorder_quantity == 2


@pytest.fixture
def order_for_cash(ctx, world):
    order = create_order(ctx, world.cash)
    db.session.commit()
    return order


# --- API -------------------------------------------------------------------------------------


def test_api_order_shows_the_back_order(api, ctx, world, stocked):
    first, second = _drafts(ctx, world, stocked, quantity=20, count=2)
    candidate = api.as_("candidat1")
    assert candidate.post(f"/orders/{first.id}/confirm").status_code == 200
    response = candidate.post(f"/orders/{second.id}/confirm")
    assert response.status_code == 200
    line = response.get_json()["lines"][0]
    assert line["backorder"] is True and line["backorder_quantity"] == 7
    assert line["restock_date"] == stocked.restock_date.isoformat()
    shown = candidate.get(f"/orders/{second.id}").get_json()["lines"][0]
    assert shown["backorder_quantity"] == 7
    recap = candidate.post(f"/orders/{second.id}/recap").get_json()
    assert recap["backorders"] == [
        {
            "sku": stocked.sku,
            "name": stocked.name,
            "quantity": 7,
            "restock_date": stocked.restock_date.isoformat(),
            "delivery_estimate": recap["lines"][0]["delivery_estimate"],
        }
    ]


def test_openapi_declares_the_back_order_fields(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    confirm = doc["paths"]["/api/v1/orders/{order_id}/confirm"]["post"]
    schema = confirm["responses"]["200"]["content"]["application/json"]["schema"]
    line = schema["properties"]["lines"]["items"]["properties"]
    assert line["backorder_quantity"]["type"] == "integer"
    assert line["restock_date"]["format"] == "date"
    shown = doc["paths"]["/api/v1/orders/{order_id}"]["get"]["responses"]["200"]
    assert shown["content"]["application/json"]["schema"] == schema


# --- Page ------------------------------------------------------------------------------------


def test_page_tells_the_candidate_about_the_back_order(login, csrf_from, ctx, world, stocked):
    first, second = _drafts(ctx, world, stocked, quantity=20, count=2)
    browser = login("candidat1")
    for order in (first, second):
        page = browser.get(f"/orders/{order.id}").get_data(as_text=True)
        response = browser.post(
            f"/orders/{order.id}/confirm",
            data={"csrf_token": csrf_from(page)},
            follow_redirects=True,
        )
        assert response.status_code == 200
    html = response.get_data(as_text=True)
    restock = f"{stocked.restock_date:%d/%m/%Y}"
    assert (
        f"Stock insuffisant à la confirmation : 7 × {stocked.name} ({stocked.sku}) en reliquat ; "
        f"réappro prévu le {restock}." in html
    )
    line_id = second.lines[0].id
    badge = html.split(f'id="backorder-of-line-{line_id}"')[1].split("</span>")[0]
    assert "reliquat de 7" in badge and restock in badge
