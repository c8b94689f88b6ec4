"""Invoices and payments as the JSON API shows them."""

from __future__ import annotations

from crm.payments.history import InvoiceFile
from crm.payments.models import Invoice, Payment
from crm.payments.states import status_of


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


def invoice_detail_dict(file: InvoiceFile, today) -> dict:
    """One invoice with its payments, reminders, promises and payment plans."""
    body = invoice_dict(file.invoice, today)
    body["payments"] = [payment_dict(p) for p in file.payments]
    body["reminders"] = [
        {
            "id": r.id,
            "level": r.level,
            "channel": r.channel,
            "sent_at": r.sent_at.isoformat(timespec="seconds"),
        }
        for r in file.reminders
    ]
    body["promises"] = [
        {
            "id": p.id,
            "amount": _money(p.amount),
            "due_date": p.due_date.isoformat(),
            "method": p.method,
            "status": p.status,
        }
        for p in file.promises
    ]
    body["payment_plans"] = [{"id": plan.id, "status": plan.status} for plan in file.plans]
    return body
