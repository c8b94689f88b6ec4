"""API: promises to pay, payment plans and reminders."""

from __future__ import annotations

from crm.clients.models import Client
from crm.dunning.models import PaymentPlan
from crm.dunning.reminders import send_reminder
from crm.dunning.serialize import plan_dict, promise_dict, reminder_dict
from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
from crm.payments.models import Invoice
from crm.payments.states import PAYMENT_METHODS
from crm.validation import Fields
from crm.web.api import (
    CLIENT_LISTING_QUERY,
    candidate_ctx,
    client_listing,
    commit_and,
    in_attempt,
    json_body,
    make_api_blueprint,
    roles,
)
from crm.web.openapi import doc, integer, one_of

bp = make_api_blueprint("dunning_api", __name__, operation_prefix="")


@bp.post("/promises")
@roles("candidate")
@doc(
    body={
        "invoice_id": "id",
        "amount": "money",
        "due_date": "date",
        "method": one_of(*PAYMENT_METHODS),
    },
    status=201,
)
def promise_create():
    """Record a promise to pay (due within 30 days, company policy)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    invoice_id = fields.ident("invoice_id")
    amount = fields.money("amount")
    due_date = fields.day("due_date")
    method = fields.text("method", choices=set(PAYMENT_METHODS))
    fields.done()
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture")
    promise = record_promise(ctx, invoice, amount, due_date, method)
    return commit_and(promise_dict(promise), 201)


def _installments(fields: Fields, raw) -> list[InstallmentInput]:
    """Typed installments; each bad one named `installments[i].field`."""
    if not isinstance(raw, list) or not raw:
        fields.errors["installments"] = "Liste d'échéances attendue : [{due_date, amount}, …]."
        return []
    items = []
    for i, entry in enumerate(raw[:50]):
        if not isinstance(entry, dict):
            fields.errors[f"installments[{i}]"] = "Objet attendu : {due_date, amount}."
            continue
        sub = Fields(entry)
        due_date, amount = sub.day("due_date"), sub.money("amount")
        for name, message in sub.errors.items():
            fields.errors[f"installments[{i}].{name}"] = message
        if due_date is not None and amount is not None:
            items.append(InstallmentInput(due_date, amount))
    return items


@bp.post("/payment-plans")
@roles("candidate")
@doc(
    body={"client_id": "id", "invoice_ids": "ids", "installments": "array"},
    status=201,
)
def plan_create():
    """Grant a payment plan; 422 when installments do not add up or dates do not increase."""
    ctx = candidate_ctx()
    data = json_body()
    fields = Fields(data)
    client_id = fields.ident("client_id")
    invoice_ids = fields.id_list("invoice_ids")
    installments = _installments(fields, data.get("installments"))
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client")
    invoices = [in_attempt(Invoice, i, ctx, label="Facture") for i in invoice_ids]
    plan = create_payment_plan(ctx, client, invoices, installments)
    return commit_and(plan_dict(plan), 201)


@bp.get("/payment-plans")
@roles("candidate")
@doc(query=CLIENT_LISTING_QUERY)
def plans():
    """Payment plans of the attempt, optionally for one client."""
    return client_listing(PaymentPlan, plan_dict)


@bp.post("/invoices/<int:invoice_id>/reminders")
@roles("candidate")
@doc(body={"level": integer(1, 20)}, status=201)
def reminder_create(invoice_id):
    """Send the next reminder of the dunning ladder on an overdue invoice."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    level = fields.integer("level", minimum=1, maximum=20)
    fields.done()
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture")
    reminder = send_reminder(ctx, invoice, level)
    return commit_and(reminder_dict(reminder), 201)
