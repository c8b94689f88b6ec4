"""Candidate pages: record a payment, a client's invoices with their dunning actions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm import clock
from crm.auth.access import role_required
from crm.boundary.integers import db_int
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.dunning.reminders import CHANNEL_LABELS, ladder, next_reminder
from crm.dunning.services import invoices_in_active_plan
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.pages import format_money, money_input
from crm.payments.cards import CVV, EXPIRY, NUMBER
from crm.payments.forms import PaymentForm
from crm.payments.history import invoices_query, view_invoices
from crm.payments.models import Invoice, Payment
from crm.payments.services import (
    PAYABLE_ORDER_STATUSES,
    CardInput,
    amount_due_for,
    record_payment,
)
from crm.payments.states import status_of
from crm.web.boundary import refused, show_refusal, unit_of_work
from crm.web.context import candidate_ctx, in_attempt
from crm.web.forms import EmptyForm

bp = Blueprint("payments", __name__)

#: Service error field → form field.
_FORM_FIELDS = {
    "amount": "amount",
    "method": "method",
    "reference": "reference",
    NUMBER: "card_number",
    EXPIRY: "card_expiry",
    CVV: "card_cvv",
}


def _target(ctx):
    """The order or invoice named in the query string (404 when absent or foreign)."""
    order_id = request.args.get("order_id", type=db_int)
    invoice_id = request.args.get("invoice_id", type=db_int)
    if (order_id is None) == (invoice_id is None):
        abort(404)
    if order_id is not None:
        return in_attempt(Order, order_id, ctx), None
    return None, in_attempt(Invoice, invoice_id, ctx)


def _back(order: Order | None, client: Client) -> str:
    """Where to go after paying: the order when its page exists, else the client's invoices."""
    if order is not None and "orders.show" in current_app.view_functions:
        return url_for("orders.show", order_id=order.id)
    return url_for("payments.invoices", client_id=client.id)


def _fields(form: PaymentForm) -> dict:
    """The service's field names → the payment form's fields."""
    return {name: getattr(form, target) for name, target in _FORM_FIELDS.items()}


@bp.route("/payments/new", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def new():
    """Payment form for an order (`?order_id=`) or an invoice (`?invoice_id=`)."""
    ctx = candidate_ctx()
    order, invoice = _target(ctx)
    client = (order or invoice).client
    due = amount_due_for(order, invoice)
    form = PaymentForm()
    if request.method == "GET":
        form.amount.data = money_input(due)
    if form.validate_on_submit():
        card = None
        if form.method.data == "card":
            card = CardInput(
                form.card_number.data or "", form.card_expiry.data or "", form.card_cvv.data or ""
            )
        with refused(form, fields=_fields(form), flash_leftovers=True):
            result = record_payment(
                ctx,
                client=client,
                order=order,
                invoice=invoice,
                method=form.method.data,
                amount=form.amount_value,
                card=card,
                reference=(form.reference.data or "").strip() or None,
            )
            # A refused card is evidence too: it is committed with the page that says so.
            if result.ok:
                payment = result.payment
                flash(
                    _("Règlement de %(amount)s enregistré.", amount=format_money(payment.amount))
                    + (f" ({payment.masked_card})" if payment.masked_card else ""),
                    "success",
                )
                return redirect(_back(order, client))
            flash(_("Carte refusée : le règlement n'est pas enregistré."), "error")
            show_refusal(result.refusal, form, fields=_fields(form), flash_leftovers=True)
    status = 200
    if request.method == "POST":  # every successful POST redirected above
        form.forget_card()
        status = 422
    return (
        render_template(
            "payments/new.html",
            form=form,
            order=order,
            invoice=invoice,
            client=client,
            due=due,
            payable=order is None or order.status in PAYABLE_ORDER_STATUSES,
            # Nothing left to pay on a confirmed or paid order, or an invoice: said, no form.
            settled=not due
            and (order is None or order.status in (*PAYABLE_ORDER_STATUSES, "paid")),
            total=order_totals(order.lines).gross if order is not None else None,
        ),
        status,
    )


@bp.route("/clients/<int:client_id>/invoices")
@role_required("candidate")
@unit_of_work
def invoices(client_id: int):
    """A client's invoices with status badges and actions (viewing them is recorded)."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    today = clock.today()
    rows = db.session.scalars(invoices_query(ctx.attempt.id, client=client, today=today)).all()
    steps = ladder(ctx)
    # Reminders stop on the invoices inside an active plan only, never on the others.
    planned = invoices_in_active_plan([inv.id for inv in rows])
    in_plan = bool(planned)
    lines = [
        {
            "invoice": inv,
            "status": status_of(inv, today),
            "next": next_reminder(inv, steps, today, inv.id in planned),
            "in_plan": inv.id in planned,
        }
        for inv in rows
    ]
    view_invoices(ctx, client, count=len(rows))
    plans = db.session.scalars(
        sa.select(PaymentPlan)
        .where(PaymentPlan.attempt_id == ctx.attempt.id, PaymentPlan.client_id == client.id)
        .order_by(PaymentPlan.id.desc())
    ).all()
    promises = db.session.scalars(
        sa.select(PromiseToPay)
        .join(Invoice, Invoice.id == PromiseToPay.invoice_id)
        .where(PromiseToPay.attempt_id == ctx.attempt.id, Invoice.client_id == client.id)
        .order_by(PromiseToPay.id.desc())
    ).all()
    payments = db.session.scalars(
        sa.select(Payment)
        .where(Payment.attempt_id == ctx.attempt.id, Payment.client_id == client.id)
        .order_by(Payment.id.desc())
    ).all()
    return render_template(
        "payments/invoices.html",
        client=client,
        lines=lines,
        plans=plans,
        promises=promises,
        payments=payments,
        in_plan=in_plan,
        channel_labels=CHANNEL_LABELS,
        button=EmptyForm(),
    )
