"""Table tests: plan status machine, installment rules, even split, the ladder's next step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from crm.dunning.reminders import next_reminder
from crm.dunning.services import InstallmentInput, installment_errors, split_evenly
from crm.dunning.states import PLAN_STATUSES, PLAN_TRANSITIONS
from crm.errors import InvalidTransition, next_status

ALLOWED = {
    ("active", "complete"): "completed",
    ("active", "break"): "broken",
    ("active", "cancel"): "cancelled",
}


@pytest.mark.parametrize("status", PLAN_STATUSES)
@pytest.mark.parametrize("event", sorted(PLAN_TRANSITIONS))
def test_plan_transitions(status, event):
    expected = ALLOWED.get((status, event))
    if expected:
        assert next_status(PLAN_TRANSITIONS, "payment_plan", status, event) == expected
    else:
        with pytest.raises(InvalidTransition):
            next_status(PLAN_TRANSITIONS, "payment_plan", status, event)


TODAY = date(2026, 3, 15)
D = Decimal


def _rows(*pairs):
    return [InstallmentInput(TODAY + timedelta(days=d), D(a)) for d, a in pairs]


@pytest.mark.parametrize(
    ("rows", "owed", "fields"),
    [
        (_rows((0, "50.00"), (30, "50.00")), D("100.00"), set()),
        (_rows((5, "33.33"), (36, "33.33"), (67, "33.34")), D("100.00"), set()),
        (_rows((0, "100.00")), D("100.00"), {"installments"}),  # one is not a plan
        (_rows(*[(i * 10, "1.00") for i in range(13)]), D("13.00"), {"installments"}),
        (_rows((0, "50.00"), (30, "49.99")), D("100.00"), {"installments"}),  # sum off by 0.01
        (_rows((0, "50.00"), (30, "50.01")), D("100.00"), {"installments"}),
        (_rows((-1, "50.00"), (30, "50.00")), D("100.00"), {"installments[0].due_date"}),
        (_rows((0, "30"), (20, "30"), (20, "40")), D("100.00"), {"installments[2].due_date"}),
        (_rows((0, "30"), (20, "30"), (10, "40")), D("100.00"), {"installments[2].due_date"}),
        (_rows((0, "50.00"), (32, "50.00")), D("100.00"), {"installments[1].due_date"}),
        (_rows((0, "50.00"), (31, "50.00")), D("100.00"), set()),  # 31 days is still monthly
        (_rows((0, "100.00"), (30, "0.00")), D("100.00"), {"installments[1].amount"}),
        (_rows((0, "99.995"), (30, "0.005")), D("100.00"), {"installments[0].amount",
                                                           "installments[1].amount"}),
    ],
)  # fmt: skip
def test_installment_rules(rows, owed, fields):
    assert set(installment_errors(rows, owed, TODAY)) == fields


def test_sum_message_names_both_figures():
    errors = installment_errors(_rows((0, "50.00"), (30, "40.00")), D("319.52"), TODAY)
    assert errors["installments"] == (
        "Les échéances totalisent 90,00 € alors que le montant dû est de 319,52 € "
        "(écart 229,52 €) : la somme doit être exactement égale."
    )


@pytest.mark.parametrize(
    ("total", "count", "amounts"),
    [
        (D("100.00"), 3, ["33.33", "33.33", "33.34"]),
        (D("319.52"), 4, ["79.88", "79.88", "79.88", "79.88"]),
        (D("10.01"), 2, ["5.00", "5.01"]),
        (D("0.05"), 2, ["0.02", "0.03"]),
        (D("100.00"), 1, ["50.00", "50.00"]),  # clamped to the 2..12 range
    ],
)
def test_split_evenly_puts_the_remainder_on_the_last(total, count, amounts):
    rows = split_evenly(total, count, TODAY)
    assert [f"{r.amount:.2f}" for r in rows] == amounts
    assert sum(r.amount for r in rows) == total
    assert [r.due_date for r in rows] == [TODAY + timedelta(days=30 * i) for i in range(len(rows))]
    assert installment_errors(rows, total, TODAY) == {}


@dataclass
class Inv:
    """Just what next_reminder reads."""

    amount: Decimal
    amount_paid: Decimal
    due_on: date
    dunning_level: int


LADDER = [
    {"level": 1, "days_after_due": 7, "channel": "email"},
    {"level": 2, "days_after_due": 15, "channel": "sms"},
]


@pytest.mark.parametrize(
    ("days_late", "level", "paid", "in_plan", "allowed", "reason", "next_level"),
    [
        (7, 0, "0", False, True, None, 1),
        (6, 0, "0", False, False, "too_early", 1),
        (-3, 0, "0", False, False, "not_overdue", 1),
        (0, 0, "0", False, False, "not_overdue", 1),
        (30, 1, "0", False, True, None, 2),
        (14, 1, "0", False, False, "too_early", 2),
        (30, 2, "0", False, False, "ladder_done", None),
        (30, 0, "100", False, False, "already_paid", 1),
        (30, 0, "0", True, False, "in_plan", 1),
        (30, 0, "40", False, True, None, 1),  # partial and late: overdue
    ],
)
def test_next_reminder(days_late, level, paid, in_plan, allowed, reason, next_level):
    invoice = Inv(D("100"), D(paid), TODAY - timedelta(days=days_late), level)
    step = next_reminder(invoice, LADDER, TODAY, in_plan)
    assert (step.allowed, step.reason, step.level) == (allowed, reason, next_level)
