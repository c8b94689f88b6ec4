"""API: payments (card checks included) and invoices with their derived status."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from crm import clock
from crm.actionlog.services import record
from crm.api.core import (
    bp,
    candidate_ctx,
    commit_and,
    error_response,
    in_attempt,
    json_body,
    listing,
    page_args,
    roles,
)
from crm.api.docs import doc, one_of, text
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay, Reminder, plan_invoice
from crm.orders.models import Order
from crm.payments.models import Invoice, Payment
from crm.payments.receivables import invoice_status_clause
from crm.payments.services import CardInput, record_payment
from crm.payments.states import INVOICE_STATUSES, PAYMENT_METHODS, status_of
from crm.validation import Fields


def _money(value) -> str:
    return f"{value:.2f}"


def invoice_dict(invoice: Invoice, today) -> dict:
    """An invoice as the contract lists it, plus its dunning level."""
    return {
        "id": invoice.id,
        "number": invoice.number,
        "client_id": invoice.client_id,
        "order_id": invoice.order_id,
        "issued_on": invoice.issued_on.isoformat(),
        "due_on": invoice.due_on.isoformat(),
        "amount": _money(invoice.amount),
        "amount_paid": _money(invoice.amount_paid),
        "amount_due": _money(invoice.amount_due),
        "status": status_of(invoice, today),
        "dunning_level": invoice.dunning_level,
    }


def payment_dict(payment: Payment) -> dict:
    """A payment; card payments show only the masked number."""
    return {
        "id": payment.id,
        "client_id": payment.client_id,
        "order_id": payment.order_id,
        "invoice_id": payment.invoice_id,
        "method": payment.method,
        "amount": _money(payment.amount),
        "status": payment.status,
        "masked_card": payment.masked_card,
        "card_brand": payment.card_brand,
        "reference": payment.reference,
        "recorded_at": payment.recorded_at.isoformat(timespec="seconds"),
    }


def _card(fields: Fields, data: dict) -> CardInput | None:
    """The card object of the body, typed (its values are never echoed back)."""
    raw = data.get("card")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fields.errors["card"] = "Objet attendu : {number, expiry, cvv}."
        return None
    parts = {}
    for name in ("number", "expiry", "cvv"):
        value = raw.get(name, "")
        if not isinstance(value, str):
            fields.errors[f"card.{name}"] = "Texte attendu."
            value = ""
        parts[name] = value[:40]
    return CardInput(**parts)


@bp.post("/payments")
@roles("candidate")
@doc(
    body={
        "order_id?": "id",
        "invoice_id?": "id",
        "method": one_of(*PAYMENT_METHODS),
        "amount": "money",
        "card?": "object",
        "reference?": text(64),
    },
    status=201,
)
def payment_create():
    """Record a payment on a confirmed order or an invoice; 422 with the field for a bad card."""
    ctx = candidate_ctx()
    data = json_body()
    fields = Fields(data)
    order_id = fields.ident("order_id", required=False)
    invoice_id = fields.ident("invoice_id", required=False)
    method = fields.text("method", choices=set(PAYMENT_METHODS))
    amount = fields.money("amount")
    reference = fields.text("reference", required=False, max_length=64)
    card = _card(fields, data)
    targets_read = "order_id" not in fields.errors and "invoice_id" not in fields.errors
    if targets_read and (order_id is None) == (invoice_id is None):
        fields.errors["order_id"] = "Indiquez order_id ou invoice_id (un seul des deux)."
    fields.done()
    order = in_attempt(Order, order_id, ctx, label="Commande") if order_id else None
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture") if invoice_id else None
    client = (order or invoice).client
    result = record_payment(
        ctx,
        client=client,
        order=order,
        invoice=invoice,
        method=method,
        amount=amount,
        card=card,
        reference=reference,
    )
    if not result.ok:
        # The refused card is evidence (payment.refused): keep it, then answer 422.
        db.session.commit()
        refusal = result.refusal
        return error_response(
            422, refusal.code, refusal.message, refusal.fields, payment_id=result.payment.id
        )
    return commit_and(payment_dict(result.payment), 201)


@bp.get("/payments")
@roles("candidate")
@doc(
    query={
        "client_id?": "id",
        "order_id?": "id",
        "invoice_id?": "id",
        "limit?": "integer",
        "offset?": "integer",
    }
)
def payments():
    """Payments of the attempt, optionally for one client, order or invoice."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    wanted = {
        "client_id": (fields.ident("client_id", required=False), Client, Payment.client_id),
        "order_id": (fields.ident("order_id", required=False), Order, Payment.order_id),
        "invoice_id": (fields.ident("invoice_id", required=False), Invoice, Payment.invoice_id),
    }
    fields.done()
    query = sa.select(Payment).where(Payment.attempt_id == ctx.attempt.id)
    for value, model, column in wanted.values():
        if value is not None:
            in_attempt(model, value, ctx)
            query = query.where(column == value)
    return listing(query.order_by(Payment.id.desc()), payment_dict, limit, offset)


@bp.get("/invoices")
@roles("candidate")
@doc(
    query={
        "client_id?": "id",
        "status?": one_of(*INVOICE_STATUSES),
        "limit?": "integer",
        "offset?": "integer",
    }
)
def invoices():
    """Invoices with their derived status; listing a client's invoices is recorded."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    status = fields.text("status", required=False, choices=set(INVOICE_STATUSES))
    fields.done()
    today = clock.today()
    query = sa.select(Invoice).where(Invoice.attempt_id == ctx.attempt.id)
    client = None
    if client_id is not None:
        client = in_attempt(Client, client_id, ctx, label="Client")
        query = query.where(Invoice.client_id == client.id)
    if status:
        query = query.where(invoice_status_clause(status, today))
    query = query.order_by(Invoice.due_on, Invoice.id)
    response = listing(query, lambda inv: invoice_dict(inv, today), limit, offset)
    if client is not None:
        record(
            ctx,
            "invoices.viewed",
            client,
            {
                "client_id": client.id,
                "client": client.number,
                "status": status,
                "count": response.get_json()["total"],
            },
        )
        db.session.commit()
    return response


@bp.get("/invoices/<int:invoice_id>")
@roles("candidate")
@doc()
def invoice_detail(invoice_id):
    """One invoice with its payments, reminders, promises and payment plans (recorded)."""
    ctx = candidate_ctx()
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture")
    today = clock.today()
    body = invoice_dict(invoice, today)
    body["payments"] = [
        payment_dict(p)
        for p in db.session.scalars(
            sa.select(Payment).where(Payment.invoice_id == invoice.id).order_by(Payment.id)
        )
    ]
    body["reminders"] = [
        {
            "id": r.id,
            "level": r.level,
            "channel": r.channel,
            "sent_at": r.sent_at.isoformat(timespec="seconds"),
        }
        for r in db.session.scalars(
            sa.select(Reminder).where(Reminder.invoice_id == invoice.id).order_by(Reminder.id)
        )
    ]
    body["promises"] = [
        {
            "id": p.id,
            "amount": _money(p.amount),
            "due_date": p.due_date.isoformat(),
            "method": p.method,
            "status": p.status,
        }
        for p in db.session.scalars(
            sa.select(PromiseToPay)
            .where(PromiseToPay.invoice_id == invoice.id)
            .order_by(PromiseToPay.id)
        )
    ]
    body["payment_plans"] = [
        {"id": plan.id, "status": plan.status}
        for plan in db.session.scalars(
            sa.select(PaymentPlan)
            .join(plan_invoice, plan_invoice.c.plan_id == PaymentPlan.id)
            .where(plan_invoice.c.invoice_id == invoice.id)
            .order_by(PaymentPlan.id)
        )
    ]
    record(
        ctx,
        "invoices.viewed",
        invoice,
        {"client_id": invoice.client_id, "invoice": invoice.number, "count": 1},
    )
    return commit_and(body)
