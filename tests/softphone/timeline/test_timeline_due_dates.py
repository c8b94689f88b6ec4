"""The clock wakes when a promise's or an installment's date passes, and settles it then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.dunning.decisions import PARIS, passed_at
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.payments.models import Invoice
from softphone.scenarios.agenda import due_times
from softphone.scenarios.scheduler import tick
from tests.factories import gen_client, gen_invoice


def _promise(attempt, due_date) -> PromiseToPay:
    client = gen_client(attempt, "T-CLK-1", "Horloge", phones=["06 11 22 33 44"])
    invoice = gen_invoice(attempt, client, "T-CLK-F1", due_in=-10, amount="90.00")
    promise = PromiseToPay(
        attempt_id=attempt.id,
        invoice_id=invoice.id,
        amount=Decimal("90.00"),
        due_date=due_date,
        method="transfer",
        status="pending",
    )
    db.session.add(promise)
    db.session.commit()
    return promise


def test_the_agenda_wakes_at_the_end_of_the_due_date_and_the_tick_settles(
    quiet, clock, attempt, tl
):
    due_date = tl.T0.astimezone(PARIS).date() + timedelta(days=2)
    promise = _promise(attempt, due_date)
    agenda = due_times(clock.now, [attempt.id])
    assert agenda.due[attempt.id] <= passed_at(due_date)
    # Before that moment the tick decides nothing.
    tick(clock.now, attempt_ids=[attempt.id])
    assert db.session.get(PromiseToPay, promise.id).status == "pending"

    clock.now = passed_at(due_date)
    report = tick(clock.now, attempt_ids=[attempt.id])
    assert [s.broken for s in report.settled] == [[promise.id]]
    db.session.expire_all()
    assert db.session.get(PromiseToPay, promise.id).status == "broken"
    action = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "promise.broken")
    ).one()
    assert action.actor_role == "system" and action.object_id == promise.id
    # Settled: the date no longer wakes the clock.
    assert due_times(clock.now, [attempt.id]).due.get(attempt.id) != passed_at(due_date)


def _number(model, attempt, **where):
    query = sa.select(model).where(model.attempt_id == attempt.id)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalars(query).one()


def test_a_scripted_payment_arrives_and_the_seeded_dates_are_settled(running, clock, attempt, tl):
    tl.only_events(
        attempt,
        {
            "key": "virement",
            "at": "+01:00",
            "kind": "payment",
            "invoice": "FA-207691",
            "amount": "500.00",
            "method": "transfer",
            "reference": "VIR-1",
        },
    )
    # The pack's dates are relative to the day the world was seeded (today): the shift runs
    # today too, so that the transfer is dated like the promises it keeps.
    running.started_at = datetime.now(UTC).replace(microsecond=0)
    db.session.commit()
    clock.now = running.started_at + timedelta(minutes=1)
    report = tick(clock.now, attempt_ids=[attempt.id])
    assert report.fired == ["virement"]
    # What fell due before today is settled at once: C10007's promise broken (no cheque),
    # C10005's plan broken (its first installment unpaid).
    [early] = report.settled
    assert len(early.kept) == 0 and len(early.broken) == 1 and len(early.plans_broken) == 1
    invoice = _number(Invoice, attempt, number="FA-207691")
    # More than what is due: what is due is paid.
    assert invoice.amount_due == Decimal("0.00")
    paid = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "payment.recorded")
    ).one()
    assert paid.actor_role == "system" and paid.payload["reference"] == "VIR-1"

    # Tonight today's date passes: C10006's promise is kept (the transfer came).
    today = datetime.now(PARIS).date()
    clock.now = passed_at(today)
    report = tick(clock.now, attempt_ids=[attempt.id])
    [settled] = report.settled
    assert len(settled.kept) == 1 and not settled.broken and not settled.plans_broken
    db.session.expire_all()
    kept = db.session.get(PromiseToPay, settled.kept[0])
    assert kept.invoice_id == invoice.id and kept.status == "kept"
    plan = db.session.get(PaymentPlan, early.plans_broken[0])
    assert [i.status for i in plan.installments] == ["missed", "due", "due"]
