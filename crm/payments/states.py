"""Payment status machine and the invoice status derived from what was paid and the due date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: {event: {from_status: to_status}}. A card payment is created pending, then captured or
#: refused; only a captured payment can be refunded.
PAYMENT_TRANSITIONS: dict[str, dict[str, str]] = {
    "capture": {"pending": "captured"},
    "refuse": {"pending": "refused"},
    "refund": {"captured": "refunded"},
}

PAYMENT_METHODS = ("card", "transfer", "cheque", "direct_debit")

INVOICE_STATUSES = ("unpaid", "partial", "paid", "overdue")


def invoice_status(amount: Decimal, amount_paid: Decimal, due_on: date, today: date) -> str:
    """paid, partial, unpaid or overdue (not fully paid and past its due date).

    Overdue wins over partial: what matters to dunning is the date; `amount_due` shows the rest.
    An invoice due today is not yet overdue.
    """
    if amount_paid >= amount:
        return "paid"
    if today > due_on:
        return "overdue"
    if amount_paid > 0:
        return "partial"
    return "unpaid"


def status_of(invoice, today: date) -> str:
    """The status of an Invoice row on `today`."""
    return invoice_status(invoice.amount, invoice.amount_paid, invoice.due_on, today)
