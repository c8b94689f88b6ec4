"""Promises to pay, payment plans and reminders as the JSON API shows them."""

from __future__ import annotations

from crm.dunning.models import PaymentPlan, PromiseToPay, Reminder


def _money(value) -> str:
    return f"{value:.2f}"


def promise_dict(promise: PromiseToPay) -> dict:
    """A promise to pay."""
    return {
        "id": promise.id,
        "invoice_id": promise.invoice_id,
        "amount": _money(promise.amount),
        "due_date": promise.due_date.isoformat(),
        "method": promise.method,
        "status": promise.status,
        "created_at": promise.created_at.isoformat(timespec="seconds"),
    }


def plan_dict(plan: PaymentPlan) -> dict:
    """A payment plan with its invoices and installments."""
    return {
        "id": plan.id,
        "client_id": plan.client_id,
        "status": plan.status,
        "total": _money(plan.total),
        "created_at": plan.created_at.isoformat(timespec="seconds"),
        "invoices": [{"id": inv.id, "number": inv.number} for inv in plan.invoices],
        "installments": [
            {
                "seq": i.seq,
                "due_date": i.due_date.isoformat(),
                "amount": _money(i.amount),
                "status": i.status,
            }
            for i in plan.installments
        ],
    }


def reminder_dict(reminder: Reminder) -> dict:
    """A reminder sent, with the message rendered from the ladder's template."""
    return {
        "id": reminder.id,
        "invoice_id": reminder.invoice_id,
        "level": reminder.level,
        "channel": reminder.channel,
        "sent_at": reminder.sent_at.isoformat(timespec="seconds"),
        "body": reminder.body,
    }
