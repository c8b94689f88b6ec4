"""Settling passed dates: exact actions of the system actor, and dunning resumed for a broken
plan's invoices only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.actionlog.services import Ctx
from crm.dunning.decisions import passed_at
from crm.dunning.reminders import send_reminder
from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
from crm.dunning.settling import next_due_dates, settle_due_dates
from crm.errors import Conflict
from crm.extensions import db
from crm.payments.services import record_payment

pytestmark = pytest.mark.empty_world


@pytest.fixture
def system(attempt):
    return Ctx(attempt, None, "system")


def _pay(ctx, world, invoice, amount: str):
    record_payment(
        ctx, client=world.client, invoice=invoice, method="transfer", amount=Decimal(amount)
    )


def test_a_promise_paid_in_time_is_kept(ctx, system, world, log):
    today = clock.today()
    promise = record_promise(ctx, world.overdue, Decimal("50.00"), today, "transfer")
    _pay(ctx, world, world.overdue, "50.00")
    assert next_due_dates([ctx.attempt.id]) == {ctx.attempt.id: today}
    log.mark()
    # Not before the date has passed.
    assert settle_due_dates(system, passed_at(today) - timedelta(seconds=1)).kept == []
    settled = settle_due_dates(system, passed_at(today))
    assert settled.kept == [promise.id] and promise.status == "kept"
    [action] = log.new()
    assert (action.verb, action.actor_role, action.actor_id) == ("promise.kept", "system", None)
    assert action.payload["paid_in_time"] == "50.00"
    assert action.payload["status"] == {"old": "pending", "new": "kept"}
    assert next_due_dates([ctx.attempt.id]) == {}
    # Decided once: settling again does nothing.
    assert settle_due_dates(system, passed_at(today)).kept == []


def test_a_promise_not_paid_in_time_is_broken(ctx, system, world, log):
    today = clock.today()
    promise = record_promise(ctx, world.overdue, Decimal("50.00"), today, "cheque")
    _pay(ctx, world, world.overdue, "20.00")
    log.mark()
    settled = settle_due_dates(system, passed_at(today))
    assert settled.broken == [promise.id] and promise.status == "broken"
    [action] = log.new()
    assert action.verb == "promise.broken"
    assert action.payload["paid_in_time"] == "20.00"


def _plan(ctx, world):
    today = clock.today()
    rows = [
        InstallmentInput(today, Decimal("30.00")),
        InstallmentInput(today + timedelta(days=30), Decimal("30.50")),
    ]
    return create_payment_plan(ctx, world.client, [world.late], rows)


def test_installments_paid_then_missed_break_the_plan(ctx, system, world, log):
    today = clock.today()
    plan = _plan(ctx, world)
    _pay(ctx, world, world.late, "30.00")
    log.mark()
    settled = settle_due_dates(system, passed_at(today))
    assert [i.status for i in plan.installments] == ["paid", "due"]
    assert plan.status == "active" and settled.paid == [plan.installments[0].id]
    [paid] = log.new()
    assert paid.verb == "installment.paid" and paid.payload["owed_by_then"] == "30.00"

    log.mark()
    settled = settle_due_dates(system, passed_at(today + timedelta(days=30)))
    assert [i.status for i in plan.installments] == ["paid", "missed"]
    assert plan.status == "broken" and settled.plans_broken == [plan.id]
    missed, broken = log.new()
    assert (missed.verb, missed.payload["paid_by_then"]) == ("installment.missed", "30.00")
    assert broken.verb == "plan.broken"
    assert broken.payload["reminders_resumed"] == [
        {"id": world.late.id, "number": "T-FD-2", "amount_due": "30.50"}
    ]


def test_a_missed_installment_resumes_dunning_for_that_plans_invoices(ctx, system, world):
    today = clock.today()
    _plan(ctx, world)
    with pytest.raises(Conflict) as info:
        send_reminder(ctx, world.late, 1)
    assert info.value.code == "in_plan"
    settle_due_dates(system, passed_at(today))  # nothing paid: missed, plan broken
    reminder = send_reminder(ctx, world.late, 1)
    assert reminder.level == 1 and world.late.dunning_level == 1
    db.session.rollback()


def test_settling_leaves_other_attempts_alone(ctx, system, world, other_attempt, people):
    today = clock.today()
    record_promise(ctx, world.overdue, Decimal("10.00"), today, "transfer")
    other = Ctx(other_attempt, None, "system")
    assert settle_due_dates(other, passed_at(today)).broken == []
    assert next_due_dates([other_attempt.id]) == {}
