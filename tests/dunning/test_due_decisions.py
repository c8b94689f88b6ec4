"""Table tests: a promise kept or broken, installments paid or missed, when a date has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from crm.dunning.decisions import (
    InstallmentDue,
    PaymentSeen,
    decide_installments,
    decide_promise,
    passed_at,
)
from crm.dunning.states import (
    INSTALLMENT_STATUSES,
    INSTALLMENT_TRANSITIONS,
    PROMISE_STATUSES,
    PROMISE_TRANSITIONS,
)
from crm.errors import InvalidTransition, next_status

D = Decimal
DUE = date(2026, 3, 20)
#: The promise was made on 10 March at 10:00 (UTC).
MADE = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def paid(amount: str, at: datetime, pid: int = 1) -> PaymentSeen:
    return PaymentSeen(pid, D(amount), at)


def test_a_date_passes_at_midnight_in_paris_at_the_end_of_that_day():
    # Winter time: midnight in Paris is 23:00 UTC the day before.
    assert passed_at(DUE) == datetime(2026, 3, 20, 23, 0, tzinfo=UTC)
    # Summer time: 22:00 UTC.
    assert passed_at(date(2026, 7, 1)) == datetime(2026, 7, 1, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("payments", "status", "counted"),
    [
        ([], "broken", "0.00"),
        ([("50.00", MADE + timedelta(days=2))], "kept", "50.00"),
        (
            [("20.00", MADE + timedelta(days=1)), ("30.00", MADE + timedelta(days=9))],
            "kept",
            "50.00",
        ),
        ([("49.99", MADE + timedelta(days=2))], "broken", "49.99"),
        # Paid at 23:30 Paris on the due date itself: still in time.
        ([("50.00", datetime(2026, 3, 20, 22, 30, tzinfo=UTC))], "kept", "50.00"),
        # Paid at 00:30 Paris the day after: too late.
        ([("50.00", datetime(2026, 3, 20, 23, 30, tzinfo=UTC))], "broken", "0.00"),
        # Paid before the promise was made: it was not paid for this promise.
        ([("50.00", MADE - timedelta(hours=1))], "broken", "0.00"),
        ([("80.00", MADE + timedelta(days=3))], "kept", "80.00"),
    ],
)
def test_decide_promise(payments, status, counted):
    seen = [paid(a, at, i) for i, (a, at) in enumerate(payments, start=1)]
    verdict = decide_promise(D("50.00"), MADE, DUE, seen)
    assert (verdict.status, verdict.paid) == (status, D(counted))


SCHEDULE = [
    InstallmentDue(1, date(2026, 3, 20), D("60.00")),
    InstallmentDue(2, date(2026, 4, 20), D("60.00")),
    InstallmentDue(3, date(2026, 5, 20), D("60.50")),
]


@pytest.mark.parametrize(
    ("now", "payments", "expected"),
    [
        # Nothing has passed yet: nothing decided.
        (datetime(2026, 3, 20, 12, 0, tzinfo=UTC), [("60.00", "2026-03-19")], []),
        # The first passed and was paid.
        (datetime(2026, 3, 21, 0, 0, tzinfo=UTC), [("60.00", "2026-03-19")], [(1, "paid")]),
        # The first passed unpaid: missed, and the later ones are not decided.
        (datetime(2026, 5, 30, tzinfo=UTC), [], [(1, "missed")]),
        # Two passed: cumulative amounts; the second is short by one cent.
        (
            datetime(2026, 4, 21, tzinfo=UTC),
            [("60.00", "2026-03-19"), ("59.99", "2026-04-19")],
            [(1, "paid"), (2, "missed")],
        ),
        # One payment in advance covers two installments.
        (
            datetime(2026, 4, 21, tzinfo=UTC),
            [("120.00", "2026-03-12")],
            [(1, "paid"), (2, "paid")],
        ),
        # A late first payment: the first is missed even though the money came later.
        (datetime(2026, 4, 21, tzinfo=UTC), [("60.00", "2026-03-25")], [(1, "missed")]),
    ],
)
def test_decide_installments(now, payments, expected):
    seen = [
        paid(a, datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC), i)
        for i, (a, day) in enumerate(payments, start=1)
    ]
    verdicts = decide_installments(D("0.00"), SCHEDULE, MADE, seen, now)
    assert [(v.seq, v.status) for v in verdicts] == expected


def test_installments_already_paid_count_in_what_was_owed():
    # Installment 1 was decided paid earlier: 60.00 of the 70.00 paid belongs to it.
    seen = [paid("70.00", datetime(2026, 3, 19, tzinfo=UTC))]
    [verdict] = decide_installments(
        D("60.00"), SCHEDULE[1:], MADE, seen, datetime(2026, 4, 21, tzinfo=UTC)
    )
    assert (verdict.status, verdict.owed_by_then, verdict.paid_by_then) == (
        "missed",
        D("120.00"),
        D("70.00"),
    )


PROMISE_ALLOWED = {("pending", "keep"): "kept", ("pending", "break"): "broken"}
INSTALLMENT_ALLOWED = {("due", "pay"): "paid", ("due", "miss"): "missed"}


@pytest.mark.parametrize(
    ("table", "statuses", "allowed"),
    [
        (PROMISE_TRANSITIONS, PROMISE_STATUSES, PROMISE_ALLOWED),
        (INSTALLMENT_TRANSITIONS, INSTALLMENT_STATUSES, INSTALLMENT_ALLOWED),
    ],
)
def test_promise_and_installment_transitions(table, statuses, allowed):
    for status in statuses:
        for event in table:
            expected = allowed.get((status, event))
            if expected:
                assert next_status(table, "machine", status, event) == expected
            else:
                with pytest.raises(InvalidTransition):
                    next_status(table, "machine", status, event)
