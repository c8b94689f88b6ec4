"""Reading a client's invoice history: the invoices listed, one invoice in detail, and the one
recorded read (`invoices.viewed`) that the page, the API's list and its detail all make."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay, Reminder, plan_invoice
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.payments.models import Invoice, Payment
from crm.payments.receivables import invoice_status_clause
from crm.payments.states import INVOICE_STATUSES


def invoices_query(
    attempt_id: int, *, client: Client | None = None, status: str | None = None, today: date
) -> sa.Select:
    """The attempt's invoices (one client's, of one derived status), by due date then id."""
    query = sa.select(Invoice).where(Invoice.attempt_id == attempt_id)
    if client is not None:
        query = query.where(Invoice.client_id == client.id)
    if status:
        query = query.where(invoice_status_clause(status, today))
    return query.order_by(Invoice.due_on, Invoice.id)


def view_invoices(
    ctx: Ctx,
    client: Client,
    *,
    count: int,
    status: str | None = None,
    invoice: Invoice | None = None,
) -> Action:
    """Record that the candidate read the client's invoice history: `count` invoices listed
    (of one `status`, or all), or one `invoice` in detail. One payload for every surface."""
    if client.attempt_id != ctx.attempt.id:
        raise ValueError("the client is not of the caller's attempt")
    if status is not None and status not in INVOICE_STATUSES:
        raise ValidationFailed({"status": _("Statut de facture inconnu.")})
    if invoice is not None and invoice.client_id != client.id:
        raise ValueError("the invoice is not the client's")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("count must be a whole number ≥ 0")
    return record(
        ctx,
        "invoices.viewed",
        client,
        {
            "client_id": client.id,
            "client": client.number,
            "invoice": invoice.number if invoice is not None else None,
            "status": status,
            "count": count,
        },
    )


@dataclass(frozen=True)
class InvoiceFile:
    """One invoice with what happened to it: payments, reminders, promises, plans."""

    invoice: Invoice
    payments: list[Payment]
    reminders: list[Reminder]
    promises: list[PromiseToPay]
    plans: list[PaymentPlan]


def load_invoice_file(invoice: Invoice) -> InvoiceFile:
    """Everything recorded against one invoice, each kind in the order it happened."""

    def rows(query):
        return list(db.session.scalars(query))

    return InvoiceFile(
        invoice=invoice,
        payments=rows(
            sa.select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id)
        ),
        reminders=rows(
            sa.select(Reminder).where(Reminder.invoice_id == invoice.id).order_by(Reminder.id)
        ),
        promises=rows(
            sa.select(PromiseToPay)
            .where(PromiseToPay.invoice_id == invoice.id)
            .order_by(PromiseToPay.id)
        ),
        plans=rows(
            sa.select(PaymentPlan)
            .join(plan_invoice, plan_invoice.c.plan_id == PaymentPlan.id)
            .where(plan_invoice.c.invoice_id == invoice.id)
            .order_by(PaymentPlan.id)
        ),
    )
