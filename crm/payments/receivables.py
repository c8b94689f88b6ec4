"""What a client owes: the outstanding amount checked against the credit limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from crm.db import db
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice, Payment

#: Statuses of an order the client owes until it is invoiced (the invoice is owed instead).
OWING_STATUSES = ("confirmed", "paid", "shipped", "delivered")


def client_outstanding(client_id: int, attempt_id: int) -> Decimal:
    """Unpaid invoices plus confirmed, not yet invoiced orders of the attempt, less payments."""
    invoices = db.session.scalars(
        sa.select(Invoice).where(Invoice.attempt_id == attempt_id, Invoice.client_id == client_id)
    ).all()
    orders = db.session.scalars(
        sa.select(Order).where(
            Order.attempt_id == attempt_id,
            Order.client_id == client_id,
            Order.status.in_(OWING_STATUSES),
            Order.historical.is_(False),
        )
    ).all()
    return outstanding_of(invoices, orders)


def outstanding_of(invoices: list[Invoice], orders: list[Order]) -> Decimal:
    """`client_outstanding` from rows already read: all the client's invoices in the attempt,
    and its orders (all of them or only the owing ones: the others are skipped here)."""
    owed = sum((inv.amount - inv.amount_paid for inv in invoices), Decimal("0.00"))
    invoiced_orders = {inv.order_id for inv in invoices if inv.order_id}
    for order in orders:
        if order.historical or order.status not in OWING_STATUSES:
            continue
        if order.id in invoiced_orders:
            continue
        owed += order_due(order)
    return owed


def order_paid(order: Order) -> Decimal:
    """Captured payments allocated to an order."""
    paid = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Payment.amount), 0)).where(
            Payment.order_id == order.id, Payment.status == "captured"
        )
    )
    return Decimal(paid).quantize(Decimal("0.01"))


def order_due(order: Order) -> Decimal:
    """What is still to pay on an order: its total incl. VAT less captured payments."""
    return max(order_totals(order.lines).gross - order_paid(order), Decimal("0.00"))


def invoice_status_clause(status: str, today: date):
    """SQL condition matching invoices whose derived status (payments/states.py) is `status`."""
    open_ = Invoice.amount_paid < Invoice.amount
    if status == "paid":
        return Invoice.amount_paid >= Invoice.amount
    if status == "overdue":
        return sa.and_(open_, Invoice.due_on < today)
    if status == "partial":
        return sa.and_(open_, Invoice.due_on >= today, Invoice.amount_paid > 0)
    if status == "unpaid":
        return sa.and_(open_, Invoice.due_on >= today, Invoice.amount_paid <= 0)
    raise ValueError(f"unknown invoice status {status!r}")
