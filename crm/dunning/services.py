"""Dunning: promises to pay and payment plans (échéanciers); reminders are in reminders.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import Installment, PaymentPlan, PromiseToPay, plan_invoice
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.payments.models import Invoice
from crm.payments.services import eur
from crm.payments.states import PAYMENT_METHODS, status_of

#: Company policy: a promise to pay is due within 30 days at most.
PROMISE_MAX_DAYS = 30
MIN_INSTALLMENTS, MAX_INSTALLMENTS = 2, 12
#: Longest gap between two installments (a monthly rhythm at most).
MAX_INTERVAL_DAYS = 31


@dataclass(frozen=True)
class InstallmentInput:
    """One installment as proposed: a date and an amount."""

    due_date: date
    amount: Decimal


def fr_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def record_promise(
    ctx: Ctx, invoice: Invoice, amount: Decimal, due_date: date, method: str
) -> PromiseToPay:
    """Record a client's promise to pay part or all of an invoice by a date (≤ 30 days)."""
    check_attempt(ctx, invoice)
    due = invoice.amount_due
    if due <= 0:
        raise Conflict(
            _("La facture %(number)s est déjà réglée.", number=invoice.number), code="already_paid"
        )
    today = clock.today()
    latest = today + timedelta(days=PROMISE_MAX_DAYS)
    errors = {}
    if not isinstance(amount, Decimal) or amount <= 0 or amount.as_tuple().exponent < -2:
        errors["amount"] = _("Montant positif attendu, deux décimales au plus.")
    elif amount > due:
        errors["amount"] = _("La promesse dépasse le reste dû (%(due)s).", due=eur(due))
    if not isinstance(due_date, date) or not today <= due_date <= latest:
        errors["due_date"] = _(
            "La date promise doit être comprise entre le %(first)s et le %(last)s : "
            "la politique de l'entreprise limite une promesse à %(days)s jours.",
            first=fr_date(today),
            last=fr_date(latest),
            days=PROMISE_MAX_DAYS,
        )
    if method not in PAYMENT_METHODS:
        errors["method"] = _("Mode de règlement inconnu : card, transfer, cheque ou direct_debit.")
    if errors:
        raise ValidationFailed(errors)
    promise = PromiseToPay(
        attempt_id=ctx.attempt.id,
        invoice_id=invoice.id,
        amount=amount.quantize(Decimal("0.01")),
        due_date=due_date,
        method=method,
        status="pending",
    )
    db.session.add(promise)
    db.session.flush()
    record(
        ctx,
        "promise.recorded",
        promise,
        {
            "invoice_id": invoice.id,
            "invoice": invoice.number,
            "client_id": invoice.client_id,
            "amount": promise.amount,
            "amount_due": due,
            "due_date": due_date,
            "method": method,
            "invoice_status": status_of(invoice, today),
        },
    )
    return promise


def invoices_in_active_plan(invoice_ids: list[int]) -> set[int]:
    """Which of these invoices already belong to an active payment plan."""
    if not invoice_ids:
        return set()
    rows = db.session.scalars(
        sa.select(plan_invoice.c.invoice_id)
        .join(PaymentPlan, PaymentPlan.id == plan_invoice.c.plan_id)
        .where(plan_invoice.c.invoice_id.in_(invoice_ids), PaymentPlan.status == "active")
    )
    return set(rows)


def _check_plan_invoices(client: Client, invoices: list[Invoice]) -> Decimal:
    """The invoices must be the client's, distinct, not paid, not in another active plan."""
    if not invoices:
        raise ValidationFailed({"invoice_ids": _("Choisissez au moins une facture.")})
    if len({inv.id for inv in invoices}) != len(invoices):
        raise ValidationFailed({"invoice_ids": _("Une facture est choisie deux fois.")})
    foreign = [inv.number for inv in invoices if inv.client_id != client.id]
    if foreign:
        raise ValidationFailed(
            {
                "invoice_ids": _(
                    "Factures d'un autre client : %(numbers)s.", numbers=", ".join(foreign)
                )
            }
        )
    paid = [inv.number for inv in invoices if inv.amount_due <= 0]
    if paid:
        raise ValidationFailed(
            {"invoice_ids": _("Factures déjà réglées : %(numbers)s.", numbers=", ".join(paid))}
        )
    planned = invoices_in_active_plan([inv.id for inv in invoices])
    if planned:
        numbers = [inv.number for inv in invoices if inv.id in planned]
        raise Conflict(
            _("Déjà dans un échéancier en cours : %(numbers)s.", numbers=", ".join(numbers)),
            code="already_in_plan",
            details={"invoice_ids": sorted(planned)},
        )
    return sum((inv.amount_due for inv in invoices), Decimal("0.00"))


def installment_errors(
    installments: list[InstallmentInput], owed: Decimal, today: date
) -> dict[str, str]:
    """Every problem of a proposed schedule, by field (`installments[2].due_date`…)."""
    count = len(installments)
    if not MIN_INSTALLMENTS <= count <= MAX_INSTALLMENTS:
        return {
            "installments": _(
                "De %(min)s à %(max)s échéances (ici %(count)s).",
                min=MIN_INSTALLMENTS,
                max=MAX_INSTALLMENTS,
                count=count,
            )
        }
    errors: dict[str, str] = {}
    previous: date | None = None
    for i, item in enumerate(installments):
        where = f"installments[{i}]"
        if item.amount <= 0 or item.amount.as_tuple().exponent < -2:
            errors[f"{where}.amount"] = _("Montant positif attendu, deux décimales au plus.")
        if previous is None:
            if item.due_date < today:
                errors[f"{where}.due_date"] = _(
                    "La première échéance ne peut pas être antérieure au %(date)s.",
                    date=fr_date(today),
                )
        elif item.due_date <= previous:
            errors[f"{where}.due_date"] = _(
                "Les dates doivent se suivre : après le %(date)s, une date plus tardive.",
                date=fr_date(previous),
            )
        elif (item.due_date - previous).days > MAX_INTERVAL_DAYS:
            errors[f"{where}.due_date"] = _(
                "%(max)s jours au plus entre deux échéances (ici %(days)s).",
                max=MAX_INTERVAL_DAYS,
                days=(item.due_date - previous).days,
            )
        previous = item.due_date
    total = sum((item.amount for item in installments), Decimal("0.00"))
    if not errors and total != owed:
        errors["installments"] = _(
            "Les échéances totalisent %(total)s alors que le montant dû est de %(owed)s "
            "(écart %(gap)s) : la somme doit être exactement égale.",
            total=eur(total),
            owed=eur(owed),
            gap=eur(abs(owed - total)),
        )
    return errors


def split_evenly(total: Decimal, count: int, first: date, every_days: int = 30):
    """`count` installments of equal cents, the remainder on the last, every `every_days`."""
    count = max(MIN_INSTALLMENTS, min(MAX_INSTALLMENTS, count))
    base = (total / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    amounts = [base] * (count - 1) + [total - base * (count - 1)]
    return [
        InstallmentInput(first + timedelta(days=every_days * i), amount)
        for i, amount in enumerate(amounts)
    ]


def create_payment_plan(
    ctx: Ctx, client: Client, invoices: list[Invoice], installments: list[InstallmentInput]
) -> PaymentPlan:
    """Grant a payment plan: installments that add up exactly to what the invoices still owe."""
    check_attempt(ctx, client, *invoices)
    owed = _check_plan_invoices(client, invoices)
    today = clock.today()
    errors = installment_errors(installments, owed, today)
    if errors:
        raise ValidationFailed(errors)
    plan = PaymentPlan(attempt_id=ctx.attempt.id, client_id=client.id, total=owed, status="active")
    plan.invoices = list(invoices)
    for seq, item in enumerate(installments, start=1):
        plan.installments.append(
            Installment(
                attempt_id=ctx.attempt.id, seq=seq, due_date=item.due_date, amount=item.amount
            )
        )
    db.session.add(plan)
    db.session.flush()
    record(
        ctx,
        "plan.created",
        plan,
        {
            "client_id": client.id,
            "client": client.number,
            "invoices": [
                {"id": inv.id, "number": inv.number, "amount_due": inv.amount_due}
                for inv in invoices
            ],
            "total": owed,
            "installments": [
                {"seq": i.seq, "due_date": i.due_date, "amount": i.amount}
                for i in plan.installments
            ],
        },
    )
    return plan
