"""Money and counting rules of order entry: rounding, VAT, discounts, sale units, delivery dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from crm.catalog.services import plural_unit
from crm.orders.pricing import line_amounts, order_totals, to_cents
from crm.orders.recap import add_working_days, delivery_days, line_delivery

D = Decimal


@pytest.mark.parametrize(
    ("value", "cents"),
    [("0.005", "0.01"), ("0.015", "0.02"), ("0.025", "0.03"), ("2.675", "2.68"), ("1.004", "1.00")],
)
def test_to_cents_rounds_half_up_not_to_even(value, cents):
    assert to_cents(D(value)) == D(cents)


@pytest.mark.parametrize(
    ("price", "qty", "vat", "discount", "net", "tax", "gross"),
    [
        ("24.90", 4, "20.00", "0", "99.60", "19.92", "119.52"),
        ("10.00", 3, "5.50", "0", "30.00", "1.65", "31.65"),
        ("10.00", 1, "20.00", "10.00", "9.00", "1.80", "10.80"),
        ("0.35", 3, "20.00", "0", "1.05", "0.21", "1.26"),
        ("9.99", 1, "20.00", "15.00", "8.49", "1.70", "10.19"),  # 8.4915 → 8.49; 1.698 → 1.70
        ("0.05", 1, "5.50", "0", "0.05", "0.00", "0.05"),  # 0.00275 → 0.00
        ("1.25", 1, "2.10", "0", "1.25", "0.03", "1.28"),  # 0.02625 → 0.03
    ],
)
def test_line_amounts(price, qty, vat, discount, net, tax, gross):
    amounts = line_amounts(D(price), qty, D(vat), D(discount))
    assert (amounts.net, amounts.vat, amounts.gross) == (D(net), D(tax), D(gross))


@dataclass
class _Line:
    unit_price: Decimal
    quantity: int
    vat_rate: Decimal
    discount_percent: Decimal = D("0")


def test_order_totals_sum_rounded_lines_and_split_vat_by_rate():
    totals = order_totals(
        [
            _Line(D("0.35"), 3, D("20.00")),
            _Line(D("0.35"), 3, D("20.00")),
            _Line(D("10.00"), 3, D("5.50")),
        ]
    )
    assert (totals.net, totals.vat, totals.gross) == (D("32.10"), D("2.07"), D("34.17"))
    assert totals.vat_by_rate == {"20.00": D("0.42"), "5.50": D("1.65")}


def test_empty_order_totals_are_zero():
    totals = order_totals([])
    assert (totals.net, totals.vat, totals.gross) == (D("0.00"),) * 3


@pytest.mark.parametrize(
    ("label", "plural"),
    [
        ("Carton de 5 ramettes", "Cartons de 5 ramettes"),
        ("Boîte de 50", "Boîtes de 50"),
        ("Rouleau", "Rouleaux"),
        ("Lot de 10", "Lots de 10"),
        ("Pochettes x 100", "Pochettes x 100"),
        ("unité", "unités"),
        ("Journal", "Journaux"),
    ],
)
def test_plural_of_sale_units(label, plural):
    assert plural_unit(label) == plural


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 2, date(2026, 3, 4)),  # Monday → Wednesday
        (date(2026, 3, 5), 2, date(2026, 3, 9)),  # Thursday → Monday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # Saturday → Monday
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_delivery_of_back_orders_counts_from_the_restock_date():
    today = date(2026, 3, 2)
    assert line_delivery(today, False, None, 2) == date(2026, 3, 4)
    assert line_delivery(today, True, date(2026, 3, 12), 2) == date(2026, 3, 16)
    assert line_delivery(today, True, None, 2) is None
    assert line_delivery(today, True, date(2026, 2, 1), 2) == date(2026, 3, 4)


def test_delivery_days_setting():
    assert delivery_days({}) == 2
    assert delivery_days({"delivery_days": 5}) == 5
    assert delivery_days({"delivery_days": "5"}) == 2
