"""Credit notes (from a return, or a goodwill gesture within the pack's limits) and their
refund on the payment they came from."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.aftersales.models import CreditNote, Refund, Return
from crm.aftersales.numbers import next_number
from crm.aftersales.rules import rules_of
from crm.aftersales.states import credit_note_next_status, return_next_status
from crm.clients.models import Client
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice, Payment
from crm.payments.services import eur

REASON_MAX = 500


def _invoice_of(order: Order | None) -> Invoice | None:
    if order is None:
        return None
    return db.session.scalar(
        sa.select(Invoice).where(
            Invoice.attempt_id == order.attempt_id, Invoice.order_id == order.id
        )
    )


def _new_note(ctx: Ctx, **fields) -> CreditNote:
    number = next_number(
        CreditNote.number, CreditNote.attempt_id, ctx.attempt.id, f"AV-{clock.today().year}-"
    )
    note = CreditNote(attempt_id=ctx.attempt.id, number=number, status="issued", **fields)
    db.session.add(note)
    db.session.flush()
    return note


def _payload(note: CreditNote) -> dict:
    return {
        "number": note.number,
        "kind": note.kind,
        "client_id": note.client_id,
        "client": note.client.number,
        "amount": note.amount,
        "order": note.order.number if note.order else None,
        "invoice": note.invoice.number if note.invoice else None,
        "return": note.return_.number if note.return_ else None,
        "reason": note.reason,
    }


def credit_return(ctx: Ctx, ret: Return) -> CreditNote:
    """Issue the credit note of an authorised return: the returned units, VAT included."""
    check_attempt(ctx, ret)
    new = return_next_status(ret.status, "credit")
    ret.status = new
    note = _new_note(
        ctx,
        client_id=ret.client_id,
        order_id=ret.order_id,
        invoice_id=(invoice.id if (invoice := _invoice_of(ret.order)) else None),
        return_id=ret.id,
        kind="return",
        amount=ret.amount,
        reason=_("Rétractation, retour %(number)s", number=ret.number),
    )
    record(ctx, "credit_note.issued", note, _payload(note))
    return note


def _amount(raw) -> Decimal:
    """A positive amount with two decimals at most, or 422 on `amount`."""
    if isinstance(raw, str):
        try:
            raw = Decimal(raw.strip().replace(",", "."))
        except ArithmeticError:
            raw = None
    if not isinstance(raw, Decimal) or not raw.is_finite():
        raise ValidationFailed({"amount": _("Montant attendu, par exemple « 12.50 ».")})
    if raw.as_tuple().exponent < -2:
        raise ValidationFailed({"amount": _("Montant avec deux décimales au plus.")})
    if raw <= 0:
        raise ValidationFailed({"amount": _("Le montant doit être positif.")})
    if raw >= Decimal("10000000000"):
        raise ValidationFailed({"amount": _("Montant trop élevé.")})
    return raw.quantize(Decimal("0.01"))


def grant_goodwill(
    ctx: Ctx,
    client: Client,
    amount,
    reason: str | None,
    *,
    order: Order | None = None,
) -> CreditNote:
    """A goodwill credit note, within the adviser's delegation (the pack's `after_sales`)."""
    check_attempt(ctx, client, order)
    if order is not None and order.client_id != client.id:
        raise ValidationFailed({"order_id": _("Cette commande n'est pas celle de ce client.")})
    if order is not None and order.status in ("draft", "cancelled"):
        raise ValidationFailed(
            {"order_id": _("Un geste commercial porte sur une commande confirmée ou livrée.")}
        )
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed({"reason": _("Indiquez le motif du geste commercial.")})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": _("%(n)s caractères au plus.", n=REASON_MAX)})
    value = _amount(amount)
    rules = rules_of(ctx.attempt)
    if rules.goodwill_max is None:
        raise ValidationFailed(
            {
                "amount": _(
                    "Aucun geste commercial n'est délégué au conseiller : "
                    "transférez au responsable de la relation client."
                )
            }
        )
    if value > rules.goodwill_max:
        raise ValidationFailed(
            {
                "amount": _(
                    "Au-delà de %(max)s TTC, le geste commercial dépasse votre délégation : "
                    "transférez au responsable de la relation client.",
                    max=eur(rules.goodwill_max),
                )
            }
        )
    if order is not None and rules.goodwill_max_percent is not None:
        ceiling = (
            order_totals(order.lines).gross * rules.goodwill_max_percent / Decimal(100)
        ).quantize(Decimal("0.01"))
        if value > ceiling:
            raise ValidationFailed(
                {
                    "amount": _(
                        "%(percent)s %% de la commande au plus, soit %(max)s TTC.",
                        percent=rules.goodwill_max_percent,
                        max=eur(ceiling),
                    )
                }
            )
    note = _new_note(
        ctx,
        client_id=client.id,
        order_id=order.id if order else None,
        invoice_id=(invoice.id if (invoice := _invoice_of(order)) else None),
        kind="goodwill",
        amount=value,
        reason=text,
    )
    record(
        ctx,
        "credit_note.issued",
        note,
        {
            **_payload(note),
            "limit": rules.goodwill_max,
            "limit_percent": rules.goodwill_max_percent,
        },
    )
    return note


def original_payment(note: CreditNote) -> Payment | None:
    """The captured payment the credit note's order or invoice was paid with (largest first)."""
    targets = []
    if note.order_id:
        targets.append(Payment.order_id == note.order_id)
    if note.invoice_id:
        targets.append(Payment.invoice_id == note.invoice_id)
    if not targets:
        return None
    return db.session.scalar(
        sa.select(Payment)
        .where(
            Payment.attempt_id == note.attempt_id,
            Payment.status == "captured",
            sa.or_(*targets),
        )
        .order_by(Payment.amount.desc(), Payment.id)
        .limit(1)
    )


def refunded_on(payment: Payment) -> Decimal:
    """What was already refunded on a payment."""
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Refund.amount), 0)).where(
            Refund.payment_id == payment.id
        )
    )
    return Decimal(total).quantize(Decimal("0.01"))


def refund_credit_note(ctx: Ctx, note: CreditNote) -> Refund:
    """Pay a credit note back on the original payment (a card: to its masked number)."""
    check_attempt(ctx, note)
    new = credit_note_next_status(note.status, "refund")
    payment = original_payment(note)
    if payment is None:
        raise Conflict(
            _(
                "Avoir %(number)s : aucun règlement d'origine à rembourser ; "
                "l'avoir reste au crédit du compte du client.",
                number=note.number,
            ),
            code="no_original_payment",
        )
    left = payment.amount - refunded_on(payment)
    if note.amount > left:
        raise Conflict(
            _(
                "Le règlement d'origine ne peut plus être remboursé que de %(left)s : "
                "l'avoir reste au crédit du compte.",
                left=eur(left),
            ),
            code="refund_exceeds_payment",
        )
    refund = Refund(
        attempt_id=ctx.attempt.id,
        credit_note_id=note.id,
        payment_id=payment.id,
        client_id=note.client_id,
        method=payment.method,
        amount=note.amount,
        masked_card=payment.masked_card,
    )
    db.session.add(refund)
    old = note.status
    note.status = new
    db.session.flush()
    record(
        ctx,
        "refund.recorded",
        refund,
        {
            "credit_note": note.number,
            "client": note.client.number,
            "amount": refund.amount,
            "method": refund.method,
            "masked_card": refund.masked_card,
            "payment_id": payment.id,
            "credit_note_status": {"old": old, "new": new},
        },
    )
    return refund
