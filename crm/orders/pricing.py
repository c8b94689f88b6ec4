"""Money rules for orders: line and order totals, rounded half-up to the cent per line."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    """Round half-up to the cent (the commercial rule, not banker's rounding)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineAmounts:
    """A line's amounts: excluding VAT, VAT, including VAT."""

    net: Decimal
    vat: Decimal
    gross: Decimal


@dataclass(frozen=True)
class OrderTotals:
    """An order's totals, and VAT per rate."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    vat_by_rate: dict[str, Decimal]


def line_amounts(
    unit_price: Decimal, quantity: int, vat_rate: Decimal, discount_percent: Decimal = Decimal("0")
) -> LineAmounts:
    """Net = price × quantity less the discount, each rounded to the cent; VAT on the net."""
    gross_before_discount = unit_price * quantity
    net = to_cents(gross_before_discount * (Decimal(100) - discount_percent) / Decimal(100))
    vat = to_cents(net * vat_rate / Decimal(100))
    return LineAmounts(net, vat, net + vat)


def order_totals(lines) -> OrderTotals:
    """Sum of the lines (objects with unit_price, quantity, vat_rate, discount_percent)."""
    net = vat = Decimal("0.00")
    by_rate: dict[str, Decimal] = {}
    for line in lines:
        amounts = line_amounts(
            line.unit_price, line.quantity, line.vat_rate, line.discount_percent or Decimal("0")
        )
        net += amounts.net
        vat += amounts.vat
        key = f"{line.vat_rate:.2f}"
        by_rate[key] = by_rate.get(key, Decimal("0.00")) + amounts.vat
    return OrderTotals(net, vat, net + vat, by_rate)
