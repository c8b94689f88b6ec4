"""A payment the scenario makes arrive (timeline kind `payment`): a transfer, a cheque, a debit.

The client pays an invoice of the pack at a moment of the shift, as the system actor: the
payment is recorded by crm's own service (`payment.recorded`), so a promise or an installment
due later is decided against it like any other payment. An invoice already settled by then
(the candidate took the payment meanwhile) receives nothing; an amount above what is still
due pays what is due.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.db import db
from crm.errors import NotFound
from crm.payments.models import Invoice
from crm.payments.services import record_payment


def fire_payment(ctx: Ctx, item: dict) -> dict:
    """Pay the item's invoice (by its number) with its method and amount; the event's result."""
    invoice = db.session.scalar(
        sa.select(Invoice).where(
            Invoice.attempt_id == ctx.attempt.id, Invoice.number == item["invoice"]
        )
    )
    if invoice is None:
        raise NotFound(f"Facture {item['invoice']} introuvable dans la tentative.")
    due = invoice.amount_due
    if due <= 0:
        return {"status": "skipped", "reason": "already_paid", "invoice_id": invoice.id}
    amount = min(Decimal(item["amount"]), due)
    result = record_payment(
        ctx,
        client=invoice.client,
        invoice=invoice,
        method=item["method"],
        amount=amount,
        reference=item.get("reference"),
    )
    return {
        "status": "paid",
        "invoice_id": invoice.id,
        "payment_id": result.payment.id,
        "amount": f"{amount:.2f}",
    }
