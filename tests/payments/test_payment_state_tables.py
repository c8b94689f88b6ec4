"""Table tests: the payment status machine and the derived invoice status."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from crm.errors import InvalidTransition, next_status
from crm.payments.states import PAYMENT_TRANSITIONS, invoice_status

STATUSES = ("pending", "captured", "refused", "refunded")
ALLOWED = {
    ("pending", "capture"): "captured",
    ("pending", "refuse"): "refused",
    ("captured", "refund"): "refunded",
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("event", sorted(PAYMENT_TRANSITIONS))
def test_payment_transitions(status, event):
    expected = ALLOWED.get((status, event))
    if expected:
        assert next_status(PAYMENT_TRANSITIONS, "payment", status, event) == expected
    else:
        with pytest.raises(InvalidTransition):
            next_status(PAYMENT_TRANSITIONS, "payment", status, event)


def test_unknown_event_is_refused():
    with pytest.raises(InvalidTransition):
        next_status(PAYMENT_TRANSITIONS, "payment", "pending", "explode")


TODAY = date(2026, 3, 15)
D = Decimal


@pytest.mark.parametrize(
    ("amount", "paid", "due_on", "status"),
    [
        (D("100.00"), D("0.00"), date(2026, 3, 20), "unpaid"),
        (D("100.00"), D("0.00"), TODAY, "unpaid"),  # due today: not yet late
        (D("100.00"), D("0.00"), date(2026, 3, 14), "overdue"),
        (D("100.00"), D("40.00"), date(2026, 3, 20), "partial"),
        (D("100.00"), D("40.00"), TODAY, "partial"),
        (D("100.00"), D("40.00"), date(2026, 3, 14), "overdue"),  # partial AND late → overdue
        (D("100.00"), D("99.99"), date(2026, 1, 1), "overdue"),
        (D("100.00"), D("100.00"), date(2026, 3, 20), "paid"),
        (D("100.00"), D("100.00"), date(2026, 1, 1), "paid"),
        (D("0.00"), D("0.00"), date(2026, 1, 1), "paid"),
    ],
)
def test_invoice_status(amount, paid, due_on, status):
    assert invoice_status(amount, paid, due_on, TODAY) == status
