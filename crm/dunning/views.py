"""Candidate pages: promise to pay, payment plan builder, sending the next reminder."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from crm import clock
from crm.auth.access import role_required
from crm.boundary.integers import db_int
from crm.clients.models import Client
from crm.db import db
from crm.dunning.forms import PlanForm, PromiseForm, ReminderForm
from crm.dunning.reminders import send_reminder
from crm.dunning.services import (
    InstallmentInput,
    create_payment_plan,
    invoices_in_active_plan,
    record_promise,
    split_evenly,
)
from crm.errors import ValidationFailed
from crm.pages import format_money, money_input
from crm.payments.models import Invoice
from crm.payments.states import status_of
from crm.validation import Fields, FormValues
from crm.web.boundary import refused, show_refusal, unit_of_work
from crm.web.context import candidate_ctx, in_attempt

bp = Blueprint("dunning", __name__)


@bp.route("/invoices/<int:invoice_id>/promise", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def promise_new(invoice_id: int):
    """Record a client's promise to pay an invoice."""
    ctx = candidate_ctx()
    invoice = in_attempt(Invoice, invoice_id, ctx)
    form = PromiseForm()
    today = clock.today()
    if request.method == "GET":
        form.amount.data = money_input(invoice.amount_due)
    if form.validate_on_submit():
        with refused(form, flash_leftovers=True):
            promise = record_promise(
                ctx, invoice, form.amount_value, form.due_date_value, form.method.data
            )
            flash(
                _(
                    "Promesse de %(amount)s enregistrée pour le %(day)s.",
                    amount=format_money(promise.amount),
                    day=promise.due_date.strftime("%d/%m/%Y"),
                ),
                "success",
            )
            return redirect(url_for("payments.invoices", client_id=invoice.client_id))
    return render_template(
        "dunning/promise.html",
        form=form,
        invoice=invoice,
        status=status_of(invoice, today),
        latest=today + timedelta(days=30),
        today=today,
    ), (422 if request.method == "POST" else 200)


def _open_invoices(ctx, client: Client) -> list[Invoice]:
    """The client's invoices that a plan may cover: something due, not in an active plan."""
    rows = db.session.scalars(
        sa.select(Invoice)
        .where(Invoice.attempt_id == ctx.attempt.id, Invoice.client_id == client.id)
        .order_by(Invoice.due_on, Invoice.id)
    ).all()
    planned = invoices_in_active_plan([inv.id for inv in rows])
    return [inv for inv in rows if inv.amount_due > 0 and inv.id not in planned]


def _fill(form: PlanForm, rows: list[InstallmentInput]) -> None:
    """Replace the installment rows by `rows` (the « Répartir » helper)."""
    while form.installments.entries:
        form.installments.pop_entry()
    for row in rows:
        form.installments.append_entry(
            {"due_date": row.due_date.isoformat(), "amount": money_input(row.amount)}
        )


def _cells(form: PlanForm) -> dict:
    """The service's field names (`installments[0].amount`…) → the plan form's cells."""
    cells = {"invoice_ids": form.invoice_ids}
    for i, entry in enumerate(form.installments.entries):
        cells[f"installments[{i}].due_date"] = entry.due_date
        cells[f"installments[{i}].amount"] = entry.amount
    return cells


def _typed_installments(form: PlanForm) -> list[InstallmentInput] | None:
    """The rows as typed, or None after putting a French error beside each bad cell."""
    items, ok = [], True
    for entry in form.installments.entries:
        fields = Fields(FormValues(due_date=entry.due_date.data, amount=entry.amount.data))
        due_date, amount = fields.day("due_date"), fields.money("amount")
        for name, message in fields.errors.items():
            getattr(entry, name).errors = [*getattr(entry, name).errors, message]
            ok = False
        if due_date is not None and amount is not None:
            items.append(InstallmentInput(due_date, amount))
    return items if ok else None


@bp.route("/clients/<int:client_id>/payment-plan", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def plan_new(client_id: int):
    """Build a payment plan: choose invoices, split evenly, adjust dates and amounts, grant."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    today = clock.today()
    candidates = _open_invoices(ctx, client)
    by_id = {inv.id: inv for inv in candidates}
    form = PlanForm()
    form.invoice_ids.choices = [
        SelectChoice(inv.id, f"{inv.number} — {format_money(inv.amount_due)}") for inv in candidates
    ]
    if request.method == "GET":
        wanted = request.args.getlist("invoice_ids", type=db_int)
        form.invoice_ids.data = [i for i in wanted if i in by_id] or list(by_id)
        form.first_date.data = today.isoformat()
    chosen = [by_id[i] for i in (form.invoice_ids.data or []) if i in by_id]
    owed = sum((inv.amount_due for inv in chosen), Decimal("0.00"))
    status, plan_error = 200, None
    if request.method == "GET":
        if owed > 0:
            _fill(form, split_evenly(owed, form.count.data, today))
    elif form.validate_on_submit():
        if form.split.data:
            if not chosen:
                form.invoice_ids.errors = [_("Choisissez au moins une facture.")]
                status = 422
            else:
                _fill(form, split_evenly(owed, form.count.data, form.first_date_value or today))
        else:
            rows = _typed_installments(form)
            if rows is not None:
                with refused(quiet=True) as refusal:
                    plan = create_payment_plan(ctx, client, chosen, rows)
                    flash(
                        _(
                            "Échéancier accordé : %(count)s échéances pour %(total)s.",
                            count=len(plan.installments),
                            total=format_money(plan.total),
                        ),
                        "success",
                    )
                    return redirect(url_for("payments.invoices", client_id=client.id))
                if isinstance(refusal.error, ValidationFailed):
                    # The schedule as a whole (count, sum) is explained under the table.
                    plan_error = refusal.error.fields.pop("installments", None)
                show_refusal(refusal.error, form, fields=_cells(form), flash_leftovers=True)
            status = 422
    else:
        status = 422
    return render_template(
        "dunning/plan.html",
        form=form,
        client=client,
        candidates=candidates,
        owed=owed,
        today=today,
        statuses={inv.id: status_of(inv, today) for inv in candidates},
        plan_error=plan_error,
    ), status


@bp.route("/invoices/<int:invoice_id>/reminders", methods=["POST"])
@role_required("candidate")
@unit_of_work
def reminder_send(invoice_id: int):
    """Send the next reminder of the ladder on an invoice, then back to the invoices."""
    ctx = candidate_ctx()
    invoice = in_attempt(Invoice, invoice_id, ctx)
    form = ReminderForm()
    if form.validate_on_submit():
        level = Fields(FormValues(level=form.level.data)).integer("level", default=0)
        with refused(form, flash_all=True):
            reminder = send_reminder(ctx, invoice, level)
            flash(
                _("Relance de niveau %(level)s envoyée.", level=reminder.level),
                "success",
            )
    else:
        flash(_("Formulaire expiré : rechargez la page."), "error")
    return redirect(url_for("payments.invoices", client_id=invoice.client_id))
