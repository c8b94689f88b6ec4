"""Settling dates that have passed: promises kept or broken, installments paid or missed.

The scenario clock calls `settle_due_dates` when `next_due_dates` says a date of an attempt has
passed (a wake-up at that moment, never a polling loop over every promise). Each decision is an
action of the system actor, in the caller's transaction. A missed installment breaks its plan:
the plan's invoices leave it, so their dunning ladder resumes — those invoices only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.db import db
from crm.dunning.decisions import (
    PARIS,
    InstallmentDue,
    PaymentSeen,
    decide_installments,
    decide_promise,
)
from crm.dunning.models import Installment, PaymentPlan, PromiseToPay
from crm.dunning.states import INSTALLMENT_TRANSITIONS, PLAN_TRANSITIONS, PROMISE_TRANSITIONS
from crm.errors import next_status
from crm.payments.models import Invoice, Payment


@dataclass
class Settled:
    """What one settling decided (ids), for the caller and the tests."""

    kept: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)
    paid: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    plans_broken: list[int] = field(default_factory=list)


def _today(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def payments_on(attempt_id: int, invoice_ids: list[int]) -> list[PaymentSeen]:
    """Captured payments on these invoices, oldest first."""
    rows = db.session.execute(
        sa.select(Payment.id, Payment.amount, Payment.recorded_at)
        .where(
            Payment.attempt_id == attempt_id,
            Payment.invoice_id.in_(invoice_ids),
            Payment.status == "captured",
        )
        .order_by(Payment.recorded_at, Payment.id)
    )
    return [PaymentSeen(row.id, row.amount, row.recorded_at) for row in rows]


def next_due_dates(attempt_ids: Iterable[int]) -> dict[int, date]:
    """Per attempt, the earliest date still to be decided (pending promise, installment due
    in an active plan); attempts with none are absent. Read-only."""
    ids = list(attempt_ids)
    if not ids:
        return {}
    promises = (
        sa.select(PromiseToPay.attempt_id, sa.func.min(PromiseToPay.due_date))
        .where(PromiseToPay.attempt_id.in_(ids), PromiseToPay.status == "pending")
        .group_by(PromiseToPay.attempt_id)
    )
    installments = (
        sa.select(Installment.attempt_id, sa.func.min(Installment.due_date))
        .join(PaymentPlan, PaymentPlan.id == Installment.plan_id)
        .where(
            Installment.attempt_id.in_(ids),
            Installment.status == "due",
            PaymentPlan.status == "active",
        )
        .group_by(Installment.attempt_id)
    )
    due: dict[int, date] = {}
    for query in (promises, installments):
        for attempt_id, day in db.session.execute(query):
            if day is not None:
                due[attempt_id] = min(day, due.get(attempt_id, day))
    return due


def settle_due_dates(ctx: Ctx, now: datetime) -> Settled:
    """Decide every promise and installment of the attempt whose date has passed at `now`."""
    settled = Settled()
    today = _today(now)
    promises = db.session.scalars(
        sa.select(PromiseToPay)
        .where(
            PromiseToPay.attempt_id == ctx.attempt.id,
            PromiseToPay.status == "pending",
            PromiseToPay.due_date < today,
        )
        .order_by(PromiseToPay.due_date, PromiseToPay.id)
    ).all()
    for promise in promises:
        _settle_promise(ctx, promise, settled)
    plans = db.session.scalars(
        sa.select(PaymentPlan)
        .where(
            PaymentPlan.attempt_id == ctx.attempt.id,
            PaymentPlan.status == "active",
            PaymentPlan.id.in_(
                sa.select(Installment.plan_id).where(
                    Installment.attempt_id == ctx.attempt.id,
                    Installment.status == "due",
                    Installment.due_date < today,
                )
            ),
        )
        .order_by(PaymentPlan.id)
    ).all()
    for plan in plans:
        _settle_plan(ctx, plan, now, settled)
    return settled


def _settle_promise(ctx: Ctx, promise: PromiseToPay, settled: Settled) -> None:
    """Kept or broken, with what was paid in time and by which payments."""
    invoice = db.session.get(Invoice, promise.invoice_id)
    verdict = decide_promise(
        promise.amount,
        promise.created_at,
        promise.due_date,
        payments_on(ctx.attempt.id, [invoice.id]),
    )
    event = "keep" if verdict.status == "kept" else "break"
    old = promise.status
    promise.status = next_status(PROMISE_TRANSITIONS, "promise", old, event)
    db.session.flush()
    record(
        ctx,
        f"promise.{verdict.status}",
        promise,
        {
            "invoice_id": invoice.id,
            "invoice": invoice.number,
            "client_id": invoice.client_id,
            "amount": promise.amount,
            "due_date": promise.due_date,
            "paid_in_time": verdict.paid,
            "payment_ids": list(verdict.payment_ids),
            "status": {"old": old, "new": promise.status},
        },
    )
    (settled.kept if verdict.status == "kept" else settled.broken).append(promise.id)


def _settle_plan(ctx: Ctx, plan: PaymentPlan, now: datetime, settled: Settled) -> None:
    """Decide the plan's passed installments in order; the first missed one breaks the plan."""
    invoices = list(plan.invoices)
    done = [i for i in plan.installments if i.status == "paid"]
    verdicts = decide_installments(
        sum((i.amount for i in done), Decimal("0.00")),
        [
            InstallmentDue(i.seq, i.due_date, i.amount)
            for i in plan.installments
            if i.status == "due"
        ],
        plan.created_at,
        payments_on(ctx.attempt.id, [inv.id for inv in invoices]),
        now,
    )
    by_seq = {i.seq: i for i in plan.installments}
    for verdict in verdicts:
        installment = by_seq[verdict.seq]
        event = "pay" if verdict.status == "paid" else "miss"
        installment.status = next_status(INSTALLMENT_TRANSITIONS, "installment", "due", event)
        db.session.flush()
        record(
            ctx,
            f"installment.{verdict.status}",
            installment,
            {
                "plan_id": plan.id,
                "client_id": plan.client_id,
                "seq": installment.seq,
                "due_date": installment.due_date,
                "amount": installment.amount,
                "owed_by_then": verdict.owed_by_then,
                "paid_by_then": verdict.paid_by_then,
            },
        )
        (settled.paid if verdict.status == "paid" else settled.missed).append(installment.id)
        if verdict.status == "missed":
            _break_plan(ctx, plan, installment, invoices, settled)


def _break_plan(ctx, plan: PaymentPlan, missed: Installment, invoices, settled: Settled) -> None:
    """The plan is broken: its invoices (only these) go back on the dunning ladder."""
    old = plan.status
    plan.status = next_status(PLAN_TRANSITIONS, "payment_plan", old, "break")
    db.session.flush()
    record(
        ctx,
        "plan.broken",
        plan,
        {
            "client_id": plan.client_id,
            "missed_seq": missed.seq,
            "missed_due_date": missed.due_date,
            "status": {"old": old, "new": plan.status},
            "reminders_resumed": [
                {"id": inv.id, "number": inv.number, "amount_due": inv.amount_due}
                for inv in invoices
                if inv.amount_due > 0
            ],
        },
    )
    settled.plans_broken.append(plan.id)
