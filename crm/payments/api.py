"""API: payments (card checks included) and invoices with their derived status."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request

from crm import clock
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order
from crm.payments.history import invoices_query, load_invoice_file, view_invoices
from crm.payments.models import Invoice, Payment
from crm.payments.serialize import invoice_detail_dict, invoice_dict, payment_dict
from crm.payments.services import CardInput, record_payment
from crm.payments.states import INVOICE_STATUSES, PAYMENT_METHODS
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    error_response,
    in_attempt,
    json_body,
    listing,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, one_of, text

bp = make_api_blueprint("payments_api", __name__, operation_prefix="")


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
    client = None
    if client_id is not None:
        client = in_attempt(Client, client_id, ctx, label="Client")
    query = invoices_query(ctx.attempt.id, client=client, status=status or None, today=today)
    response = listing(query, lambda inv: invoice_dict(inv, today), limit, offset)
    if client is not None:
        view_invoices(ctx, client, count=response.get_json()["total"], status=status or None)
        db.session.commit()
    return response


@bp.get("/invoices/<int:invoice_id>")
@roles("candidate")
@doc()
def invoice_detail(invoice_id):
    """One invoice with its payments, reminders, promises and payment plans (recorded)."""
    ctx = candidate_ctx()
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture")
    body = invoice_detail_dict(load_invoice_file(invoice), clock.today())
    view_invoices(ctx, invoice.client, count=1, invoice=invoice)
    return commit_and(body)
