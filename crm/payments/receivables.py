"""What a client owes: the outstanding amount checked against the credit limit."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from crm.db import db
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice, Payment


def client_outstanding(client_id: int, attempt_id: int) -> Decimal:
    """Unpaid invoices plus confirmed, not yet invoiced orders of the attempt, less their payments."""
    invoices = db.session.scalars(
        sa.select(Invoice).where(Invoice.attempt_id == attempt_id, Invoice.client_id == client_id)
    ).all()
    owed = sum((inv.amount - inv.amount_paid for inv in invoices), Decimal("0.00"))
    invoiced_orders = {inv.order_id for inv in invoices if inv.order_id}
    orders = db.session.scalars(
        sa.select(Order).where(
            Order.attempt_id == attempt_id,
            Order.client_id == client_id,
            Order.status.in_(("confirmed", "shipped", "delivered")),
            Order.historical.is_(False),
        )
    ).all()
    for order in orders:
        if order.id in invoiced_orders:
            continue
        paid = db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
                Payment.order_id == order.id, Payment.status == "captured"
            )
        )
        owed += max(order_totals(order.lines).gross - Decimal(paid), Decimal("0.00"))
    return owed
