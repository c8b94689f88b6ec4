"""Warranties: each line of a delivered order is covered until its delivery date plus the
product's warranty months, plus the months of any extension contract sold on the same order.
The candidate checks it (recorded `warranty.checked`: it is evidence of the diagnosis)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.errors import Conflict
from crm.i18n import _
from crm.orders.models import Order, OrderLine
from crm.orders.states import STATUS_LABELS


@dataclass(frozen=True)
class LineWarranty:
    """One order line's warranty as of `today`."""

    line: OrderLine
    #: The product's own months, and the months an extension on the order adds.
    months: int
    extension_months: int
    until: date

    def covered(self, today: date) -> bool:
        return today <= self.until


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def order_warranties(order: Order) -> list[LineWarranty]:
    """The warranty of each line of the order with one; none before delivery."""
    if order.delivered_on is None:
        return []
    extension = sum(line.product.extends_warranty_months or 0 for line in order.lines)
    return [
        LineWarranty(
            line=line,
            months=line.product.warranty_months,
            extension_months=extension,
            until=add_months(order.delivered_on, line.product.warranty_months + extension),
        )
        for line in order.lines
        if line.product.warranty_months
    ]


def check_warranty(ctx: Ctx, order: Order) -> list[LineWarranty]:
    """Check the warranty of a delivered order's lines (recorded); 409 if there is none."""
    check_attempt(ctx, order)
    if order.delivered_on is None:
        raise Conflict(
            _(
                "Commande %(number)s (%(status)s) : pas encore livrée, la garantie ne court pas.",
                number=order.number,
                status=STATUS_LABELS.get(order.status, order.status),
            ),
            code="not_delivered",
        )
    lines = order_warranties(order)
    if not lines:
        raise Conflict(
            _("Commande %(number)s : aucun article garanti.", number=order.number),
            code="no_warranty",
        )
    today = clock.today()
    record(
        ctx,
        "warranty.checked",
        order,
        {
            "number": order.number,
            "client_id": order.client_id,
            "delivered_on": order.delivered_on,
            "lines": [
                {
                    "sku": w.line.product.sku,
                    "months": w.months,
                    "extension_months": w.extension_months,
                    "until": w.until,
                    "covered": w.covered(today),
                }
                for w in lines
            ],
        },
    )
    return lines
