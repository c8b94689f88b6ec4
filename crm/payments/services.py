"""Recording payments: checks, allocation to an order or an invoice, the action that proves it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context

from crm import clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import PaymentPlan, plan_invoice
from crm.dunning.states import PLAN_TRANSITIONS
from crm.errors import Conflict, InvalidTransition, ValidationFailed, next_status
from crm.i18n import _, _l, translate
from crm.orders.models import Order
from crm.orders.states import STATUS_LABELS as ORDER_STATUS_LABELS
from crm.orders.states import order_next_status
from crm.pages import format_money
from crm.payments.cards import NUMBER, check_card
from crm.payments.models import Invoice, Payment
from crm.payments.receivables import order_due
from crm.payments.states import PAYMENT_METHODS, PAYMENT_TRANSITIONS, status_of

#: Orders that can be paid: confirmed and later (a draft may still change; cancelled is over).
PAYABLE_ORDER_STATUSES = ("confirmed", "shipped", "delivered")

METHOD_LABELS = {
    "card": _l("carte bancaire"),
    "transfer": _l("virement"),
    "cheque": _l("chèque"),
    "direct_debit": _l("prélèvement"),
}


@dataclass(frozen=True)
class CardInput:
    """What the client read out: used for the checks, then dropped (never stored or logged)."""

    number: str
    expiry: str
    cvv: str

    def __repr__(self) -> str:  # keep numbers out of tracebacks and debug logs
        return "CardInput(****)"


@dataclass(frozen=True)
class PaymentResult:
    """A recorded payment, or a refused card kept as evidence with what to tell the client."""

    payment: Payment
    #: Set when the card was refused: the boundary commits the evidence, then answers 422.
    refusal: ValidationFailed | None = None

    @property
    def ok(self) -> bool:
        """True when the payment was captured."""
        return self.refusal is None


def eur(amount: Decimal) -> str:
    """1234.5 → « 1 234,50 € » for messages (per the screen's locale inside a request)."""
    if has_request_context():
        return format_money(amount)
    return f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",") + " €"


def amount_due_for(order: Order | None, invoice: Invoice | None) -> Decimal:
    """What can still be paid on the target (order total incl. VAT less payments, or invoice)."""
    return invoice.amount_due if invoice is not None else order_due(order)


def _check_target(client: Client, order: Order | None, invoice: Invoice | None) -> Decimal:
    """Refuse what cannot be paid; return what is due on the target."""
    if (order is None) == (invoice is None):
        raise ValidationFailed(
            {
                "order_id": _(
                    "Indiquez une commande (order_id) ou une facture (invoice_id), une seule."
                )
            }
        )
    if order is not None:
        if order.client_id != client.id:
            raise ValidationFailed({"order_id": _("Cette commande n'est pas celle de ce client.")})
        if order.status == "paid":
            order_next_status(order.status, "pay")  # refused: already paid, with its sentence
        if order.status not in PAYABLE_ORDER_STATUSES:
            error = InvalidTransition("order", order.status, "pay")
            error.message = _(
                "La commande %(number)s n'est pas confirmée (statut « %(status)s ») : "
                "un règlement ne s'enregistre que sur une commande confirmée.",
                number=order.number,
                status=ORDER_STATUS_LABELS.get(order.status, order.status),
            )
            raise error
        invoice_id = db.session.scalar(
            sa.select(Invoice.id).where(
                Invoice.attempt_id == order.attempt_id, Invoice.order_id == order.id
            )
        )
        if invoice_id is not None:
            # Once invoiced, the receivable is the invoice: paying the order would count twice.
            raise Conflict(
                _(
                    "La commande %(number)s est facturée : "
                    "enregistrez le règlement sur sa facture.",
                    number=order.number,
                ),
                code="order_invoiced",
                details={"invoice_id": invoice_id},
            )
    elif invoice.client_id != client.id:
        raise ValidationFailed({"invoice_id": _("Cette facture n'est pas celle de ce client.")})
    due = amount_due_for(order, invoice)
    if due <= 0:
        if invoice is not None:
            message = _(
                "La facture %(number)s est déjà entièrement réglée : rien n'est dû.",
                number=invoice.number,
            )
        else:
            message = _(
                "La commande %(number)s est déjà entièrement réglée : rien n'est dû.",
                number=order.number,
            )
        raise Conflict(message, code="already_paid")
    return due


def _check_amount(amount, due: Decimal) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValidationFailed({"amount": _("Montant attendu, par exemple « 12.50 ».")})
    if amount.as_tuple().exponent < -2:
        raise ValidationFailed({"amount": _("Montant avec deux décimales au plus.")})
    if amount <= 0:
        raise ValidationFailed({"amount": _("Le montant doit être positif.")})
    if amount > due:
        raise ValidationFailed(
            {
                "amount": _(
                    "Montant supérieur au reste dû (%(due)s) : %(due)s au plus.", due=eur(due)
                )
            }
        )
    return amount.quantize(Decimal("0.01"))


def _allocation(order: Order | None, invoice: Invoice | None) -> dict:
    if invoice is not None:
        return {"invoice_id": invoice.id, "invoice": invoice.number}
    return {"order_id": order.id, "order": order.number}


def record_payment(
    ctx: Ctx,
    *,
    client: Client,
    order: Order | None = None,
    invoice: Invoice | None = None,
    method: str,
    amount: Decimal,
    card: CardInput | None = None,
    reference: str | None = None,
) -> PaymentResult:
    """Take a payment on a confirmed order or an invoice; a refused card is kept as evidence."""
    check_attempt(ctx, client, order, invoice)
    due = _check_target(client, order, invoice)
    if method not in PAYMENT_METHODS:
        raise ValidationFailed(
            {"method": _("Mode de règlement inconnu : card, transfer, cheque ou direct_debit.")}
        )
    amount = _check_amount(amount, due)
    if reference is not None and len(reference) > 64:
        raise ValidationFailed({"reference": _("%(n)s caractères au plus.", n=64)})
    if method != "card" and card is not None:
        raise ValidationFailed({"card": _("Données de carte inutiles pour ce mode de règlement.")})
    payment = Payment(
        attempt_id=ctx.attempt.id,
        client_id=client.id,
        order_id=order.id if order else None,
        invoice_id=invoice.id if invoice else None,
        method=method,
        amount=amount,
        status="pending",
        reference=reference or None,
    )
    allocation = _allocation(order, invoice)
    if method == "card":
        missing = _missing_card_fields(card)
        if missing:
            raise ValidationFailed(missing)
        check = check_card(
            card.number,
            card.expiry,
            card.cvv,
            training_cards=ctx.attempt.settings.get("training_cards", []),
            today=clock.today(),
        )
        payment.masked_card, payment.card_brand = check.masked, check.brand
        payment.card_expiry = check.expiry
        if not check.ok:
            return _refuse(ctx, payment, client, allocation, check)
    payment.status = next_status(PAYMENT_TRANSITIONS, "payment", payment.status, "capture")
    return PaymentResult(_capture(ctx, payment, client, invoice, allocation, due))


def _missing_card_fields(card: CardInput | None) -> dict[str, str]:
    """Empty card fields are a form to complete, not a refused card (nothing to keep)."""
    if card is None:
        return {NUMBER: _("Saisissez le numéro de carte.")}
    missing = {}
    for name, value in (("number", card.number), ("expiry", card.expiry), ("cvv", card.cvv)):
        if not (value or "").strip():
            missing[f"card.{name}"] = _("Champ obligatoire.")
    return missing


def _refuse(ctx: Ctx, payment: Payment, client: Client, allocation: dict, check) -> PaymentResult:
    """Keep the refused card as evidence: masked number and reasons, never the number itself."""
    payment.status = next_status(PAYMENT_TRANSITIONS, "payment", payment.status, "refuse")
    db.session.add(payment)
    db.session.flush()
    record(
        ctx,
        "payment.refused",
        payment,
        {
            "client_id": client.id,
            "client": client.number,
            "method": payment.method,
            "amount": payment.amount,
            "allocation": allocation,
            "masked_card": payment.masked_card,
            "card_brand": payment.card_brand,
            "reasons": list(check.reasons),
            # French source text: the log never depends on the viewer's language.
            "messages": dict(check.errors),
        },
    )
    shown = {name: translate(message) for name, message in check.errors.items()}
    refusal = ValidationFailed(shown, _("Carte refusée : règlement non enregistré."))
    refusal.code = "card_refused"
    return PaymentResult(payment, refusal)


def _capture(
    ctx: Ctx, payment: Payment, client: Client, invoice: Invoice | None, allocation, due
) -> Payment:
    """Allocate a captured payment and record it with the invoice's status before → after."""
    today = clock.today()
    payload = {
        "client_id": client.id,
        "client": client.number,
        "method": payment.method,
        "amount": payment.amount,
        "allocation": allocation,
        "masked_card": payment.masked_card,
        "card_brand": payment.card_brand,
        "reference": payment.reference,
        "due_before": due,
        "due_after": due - payment.amount,
    }
    db.session.add(payment)
    if invoice is not None:
        before = status_of(invoice, today)
        invoice.amount_paid = invoice.amount_paid + payment.amount
        payload["invoice_status"] = {"old": before, "new": status_of(invoice, today)}
        payload["plans_completed"] = _complete_paid_plans(invoice)
    elif allocation.get("order_id") and payment.amount == due:
        order = db.session.get(Order, allocation["order_id"])
        if order.status == "confirmed":
            # Paid in full before shipping: the order is `paid`, no payment nor cancel is offered.
            new = order_next_status(order.status, "pay")
            payload["order_status"] = {"old": order.status, "new": new}
            order.status = new
    db.session.flush()
    record(ctx, "payment.recorded", payment, payload)
    return payment


def _complete_paid_plans(invoice: Invoice) -> list[int]:
    """Active plans whose invoices are now all paid are completed; returns their ids."""
    plans = db.session.scalars(
        sa.select(PaymentPlan)
        .join(plan_invoice, plan_invoice.c.plan_id == PaymentPlan.id)
        .where(plan_invoice.c.invoice_id == invoice.id, PaymentPlan.status == "active")
    ).all()
    completed = []
    for plan in plans:
        if all(inv.amount_paid >= inv.amount for inv in plan.invoices):
            plan.status = next_status(PLAN_TRANSITIONS, "payment_plan", plan.status, "complete")
            completed.append(plan.id)
    return completed
