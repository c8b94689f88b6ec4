"""Warranties: each line's end date from its delivery, the product's months and an extension
contract on the same order; the check recorded; refusals (not delivered, nothing warranted);
the order screen's terms and button; roles and attempts enforced."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.actionlog.services import Ctx
from crm.aftersales.warranty import add_months, check_warranty, order_warranties
from crm.catalog.models import Product
from crm.db import db
from crm.errors import Conflict
from crm.orders.models import OrderLine

pytestmark = pytest.mark.empty_world


@pytest.fixture
def ctx(attempt, people):
    return Ctx(attempt, people["cand1"].id, "candidate")


def _product(attempt, sku, **warranty) -> Product:
    product = Product(
        attempt_id=attempt.id,
        sku=sku,
        name=f"Produit {sku}",
        sale_unit_label="Pièce",
        sale_unit_quantity=1,
        unit_price=Decimal("10.00"),
        vat_rate=Decimal("20.00"),
        stock=5,
        **warranty,
    )
    db.session.add(product)
    db.session.flush()
    return product


def _sell(attempt, order, product) -> None:
    order.lines.append(
        OrderLine(
            attempt_id=attempt.id,
            product_id=product.id,
            quantity=1,
            unit_price=product.unit_price,
            vat_rate=product.vat_rate,
        )
    )
    db.session.flush()


@pytest.fixture
def warranted(attempt, world):
    """The old order (delivered 40 days ago) carries a machine warranted 24 months and a
    36-month extension contract; the delivered one a machine warranted 1 month only."""
    _sell(attempt, world.old, _product(attempt, "TST-MACHINE", warranty_months=24))
    _sell(attempt, world.old, _product(attempt, "TST-EXT", extends_warranty_months=36))
    _sell(attempt, world.delivered, _product(attempt, "TST-PETIT", warranty_months=1))
    db.session.commit()
    return world


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a shorter month: its last day
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),  # over the year's end
        (date(2026, 3, 1), 60, date(2031, 3, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_an_extension_on_the_order_adds_its_months_to_the_other_lines(warranted):
    [line] = order_warranties(warranted.old)  # the contract itself has no warranty line
    assert (line.line.product.sku, line.months, line.extension_months) == ("TST-MACHINE", 24, 36)
    assert line.until == add_months(warranted.old.delivered_on, 60)
    [small] = order_warranties(warranted.delivered)
    assert (small.extension_months, small.until) == (
        0,
        add_months(warranted.delivered.delivered_on, 1),
    )


def test_the_check_is_recorded_with_each_lines_end_and_cover(warranted, ctx, log):
    check_warranty(ctx, warranted.old)
    db.session.commit()
    [action] = log.new()
    assert (action.verb, action.object_type, action.object_id) == (
        "warranty.checked",
        "order",
        warranted.old.id,
    )
    [line] = action.payload["lines"]
    until = add_months(warranted.old.delivered_on, 60)
    assert line == {
        "sku": "TST-MACHINE",
        "months": 24,
        "extension_months": 36,
        "until": until.isoformat(),
        "covered": True,
    }


def test_an_expired_warranty_is_recorded_as_not_covered(attempt, warranted, ctx, log):
    warranted.delivered.delivered_on = clock.today() - timedelta(days=40)
    db.session.commit()
    check_warranty(ctx, warranted.delivered)
    [action] = log.new()
    assert action.payload["lines"][0]["covered"] is False


def test_no_check_before_delivery_nor_without_warranted_lines(warranted, ctx, log):
    with pytest.raises(Conflict) as not_delivered:
        check_warranty(ctx, warranted.late)
    assert not_delivered.value.code == "not_delivered"
    with pytest.raises(Conflict) as nothing:
        check_warranty(ctx, warranted.pro)  # delivered, but its product has no warranty
    assert nothing.value.code == "no_warranty"
    assert log.new() == []


def test_the_order_screen_shows_the_terms_and_the_check_says_the_end_date(
    login, warranted, log, csrf_from
):
    page = login("candidat1")
    html = page.get(f"/orders/{warranted.old.id}").get_data(as_text=True)
    assert 'id="warranty-terms"' in html and "24 mois à compter de la livraison + 36 mois d" in html
    until = add_months(warranted.old.delivered_on, 60)
    assert f"{until:%d/%m/%Y}" not in html  # the end date is what the recorded check tells
    response = page.post(
        f"/after-sales/orders/{warranted.old.id}/warranty",
        data={"csrf_token": csrf_from(html)},
    )
    assert response.status_code == 302
    shown = page.get(response.headers["Location"]).get_data(as_text=True)
    assert f"sous garantie jusqu&#39;au {until:%d/%m/%Y} inclus" in shown
    assert [a.verb for a in log.new()] == ["warranty.checked"]


def test_a_refused_check_is_flashed_and_records_nothing(login, warranted, log, csrf_from):
    page = login("candidat1")
    html = page.get(f"/orders/{warranted.pro.id}").get_data(as_text=True)
    assert 'id="check-warranty"' not in html  # nothing warranted: no button
    response = page.post(
        f"/after-sales/orders/{warranted.pro.id}/warranty",
        data={"csrf_token": csrf_from(html)},
    )
    shown = page.get(response.headers["Location"]).get_data(as_text=True)
    assert "aucun article garanti" in shown
    assert log.new() == []


def test_roles_and_attempts_are_enforced(login, warranted, csrf_from, log):
    trainer = login("formateur")
    url = f"/after-sales/orders/{warranted.old.id}/warranty"
    assert trainer.post(url).status_code in (400, 403)  # no candidate's form, no check
    assert log.new() == []


def test_another_attempts_order_is_not_found(login, warranted, csrf_from):
    page = login("candidat1")
    token = csrf_from(page.get(f"/orders/{warranted.old.id}").get_data(as_text=True))
    url = f"/after-sales/orders/{warranted.foreign_order.id}/warranty"
    assert page.post(url, data={"csrf_token": token}).status_code == 404
