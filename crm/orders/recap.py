"""The order recap: everything the candidate reads back to the client before confirming."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm.orders.models import Order
from crm.orders.pricing import LineAmounts, OrderTotals, line_amounts, order_totals

#: Working days from confirmation to delivery when the company settings do not say.
DEFAULT_DELIVERY_DAYS = 2


@dataclass(frozen=True)
class RecapLine:
    """One line as read to the client."""

    line_id: int
    product_id: int
    sku: str
    name: str
    sale_unit_label: str
    sale_unit_quantity: int
    quantity: int
    unit_price: Decimal
    discount_percent: Decimal
    vat_rate: Decimal
    amounts: LineAmounts
    replaces_sku: str | None
    replaces_name: str | None
    additional: bool
    backorder: bool
    #: Sale units shipped at the restock date (all of them when back-ordered at entry).
    backorder_quantity: int
    restock_date: date | None
    #: When this line should arrive (None: back-ordered without a known restock date).
    delivery_estimate: date | None


@dataclass(frozen=True)
class Substitution:
    """« X remplace Y »: a substitute taken for an out-of-stock product."""

    product_name: str
    replaces_name: str


@dataclass(frozen=True)
class Recap:
    """The whole recap of an order."""

    order_id: int
    order_number: str
    status: str
    client_name: str
    client_number: str
    lines: list[RecapLine]
    substitutions: list[Substitution]
    additional: list[RecapLine]
    backorders: list[RecapLine]
    totals: OrderTotals
    delivery_terms: str
    payment_terms: str
    #: Delivery of the lines in stock (None when every line is back-ordered).
    delivery_estimate: date | None
    read_at: datetime | None


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday–Friday) after `start`."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def delivery_days(company: dict) -> int:
    """The company's delivery lead time in working days (scenario setting, else the default)."""
    value = company.get("delivery_days")
    return value if isinstance(value, int) and 0 <= value <= 60 else DEFAULT_DELIVERY_DAYS


def line_delivery(today: date, backorder: bool, restock: date | None, days: int) -> date | None:
    """In stock: `days` working days from today; back-ordered: from the restock date."""
    if not backorder:
        return add_working_days(today, days)
    if restock is None:
        return None
    return add_working_days(max(restock, today), days)


def build_recap(order: Order, company: dict, today: date) -> Recap:
    """Compute the recap of an order (pure read: nothing recorded here)."""
    days = delivery_days(company)
    lines = []
    for line in order.lines:
        product = line.product
        lines.append(
            RecapLine(
                line_id=line.id,
                product_id=product.id,
                sku=product.sku,
                name=product.name,
                sale_unit_label=product.sale_unit_label,
                sale_unit_quantity=product.sale_unit_quantity,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                vat_rate=line.vat_rate,
                amounts=line_amounts(
                    line.unit_price, line.quantity, line.vat_rate, line.discount_percent
                ),
                replaces_sku=line.replaces.sku if line.replaces else None,
                replaces_name=line.replaces.name if line.replaces else None,
                additional=line.additional,
                backorder=line.backorder,
                backorder_quantity=line.backorder_quantity,
                restock_date=product.restock_date if line.backorder else None,
                delivery_estimate=line_delivery(today, line.backorder, product.restock_date, days),
            )
        )
    # A line partly back-ordered at confirmation ships its in-stock units with the others.
    in_stock = [rl for rl in lines if rl.quantity > rl.backorder_quantity]
    return Recap(
        order_id=order.id,
        order_number=order.number,
        status=order.status,
        client_name=order.client.display_name,
        client_number=order.client.number,
        lines=lines,
        substitutions=[Substitution(rl.name, rl.replaces_name) for rl in lines if rl.replaces_name],
        additional=[rl for rl in lines if rl.additional],
        backorders=[rl for rl in lines if rl.backorder],
        totals=order_totals(order.lines),
        delivery_terms=str(company.get("delivery_terms", "")),
        payment_terms=str(company.get("payment_terms", "")),
        delivery_estimate=add_working_days(today, days) if in_stock else None,
        read_at=order.recap_read_at,
    )
