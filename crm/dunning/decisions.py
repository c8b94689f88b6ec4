"""Pure decisions on dates that come due: a promise kept or broken, an installment paid or missed.

A due date is *passed* at midnight (Paris) at the end of that day: until then the client may
still pay. What counts is what was paid on the invoices concerned between the agreement and the
end of the due date; nothing here reads the database or the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class PaymentSeen:
    """A captured payment on one of the invoices concerned."""

    id: int
    amount: Decimal
    at: datetime

    @property
    def on(self) -> date:
        """The day it arrived, in Paris."""
        return self.at.astimezone(PARIS).date()


@dataclass(frozen=True)
class PromiseVerdict:
    """A promise decided: kept or broken, and what was paid in time for it."""

    status: str
    paid: Decimal
    payment_ids: tuple[int, ...]


@dataclass(frozen=True)
class InstallmentDue:
    """An installment still due, as the decision reads it."""

    seq: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class InstallmentVerdict:
    """An installment decided: paid or missed, against what was owed and paid by its date."""

    seq: int
    status: str
    owed_by_then: Decimal
    paid_by_then: Decimal


def passed_at(due: date) -> datetime:
    """The moment a due date is passed: midnight in Paris at the end of that day (aware)."""
    return datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=PARIS)


def paid_between(payments: list[PaymentSeen], since: datetime, until: date) -> list[PaymentSeen]:
    """Payments from `since` (the agreement) up to the end of the day `until`."""
    return [p for p in payments if p.at >= since and p.on <= until]


def decide_promise(
    amount: Decimal, made_at: datetime, due_date: date, payments: list[PaymentSeen]
) -> PromiseVerdict:
    """Kept when the payments since the promise, by its date, reach the promised amount."""
    counted = paid_between(payments, made_at, due_date)
    paid = sum((p.amount for p in counted), Decimal("0.00"))
    status = "kept" if paid >= amount else "broken"
    return PromiseVerdict(status, paid, tuple(p.id for p in counted))


def decide_installments(
    previous_total: Decimal,
    due: list[InstallmentDue],
    agreed_at: datetime,
    payments: list[PaymentSeen],
    now: datetime,
) -> list[InstallmentVerdict]:
    """The installments whose date has passed at `now`, in order, up to the first missed one.

    Payments count cumulatively: installment k is paid when what came in since the plan was
    agreed, by its date, covers installments 1..k (`previous_total` is the sum of those
    already decided paid). A missed installment breaks the plan: the later ones are not decided.
    """
    verdicts = []
    owed = previous_total
    for item in sorted(due, key=lambda i: i.seq):
        if passed_at(item.due_date) > now:
            break
        owed += item.amount
        counted = paid_between(payments, agreed_at, item.due_date)
        paid = sum((p.amount for p in counted), Decimal("0.00"))
        status = "paid" if paid >= owed else "missed"
        verdicts.append(InstallmentVerdict(item.seq, status, owed, paid))
        if status == "missed":
            break
    return verdicts
