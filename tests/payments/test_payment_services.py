"""record_payment: allocation, exact actions, refusals that leave nothing (or only evidence)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.dunning.models import Installment, PaymentPlan
from crm.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from crm.extensions import db
from crm.payments.models import Payment
from crm.payments.services import CardInput, record_payment

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world

VISA = CardInput("4111 1111 1111 1111", "12/30", "123")


def _payments(attempt):
    return db.session.scalars(sa.select(Payment).where(Payment.attempt_id == attempt.id)).all()


def test_card_payment_on_a_confirmed_order(ctx, world, log):
    result = record_payment(
        ctx, client=world.client, order=world.order, method="card", amount=Decimal("59.76"),
        card=VISA,
    )  # fmt: skip
    assert result.ok
    payment = result.payment
    assert (payment.status, payment.masked_card, payment.card_brand, payment.card_expiry) == (
        "captured", "411111******1111", "visa", "12/30",
    )  # fmt: skip
    [action] = log.new()
    assert action.verb == "payment.recorded"
    assert (action.object_type, action.object_id) == ("payment", payment.id)
    assert action.payload == {
        "client_id": world.client.id,
        "client": "T-PAY-1",
        "method": "card",
        "amount": "59.76",
        "allocation": {"order_id": world.order.id, "order": "T-CMD-1"},
        "masked_card": "411111******1111",
        "card_brand": "visa",
        "reference": None,
        "due_before": "59.76",
        "due_after": "0.00",
        # Paid in full before shipping: the order is paid (no more payment nor cancel).
        "order_status": {"old": "confirmed", "new": "paid"},
    }
    assert world.order.status == "paid"


def test_transfer_on_an_invoice_updates_amount_paid_and_status(ctx, world, log):
    result = record_payment(
        ctx, client=world.client, invoice=world.partial, method="transfer",
        amount=Decimal("150.00"), reference="VIR-2026-77",
    )  # fmt: skip
    assert result.ok and result.payment.reference == "VIR-2026-77"
    assert world.partial.amount_paid == Decimal("200.00")
    [action] = log.new()
    assert action.payload["allocation"] == {"invoice_id": world.partial.id, "invoice": "T-FA-2"}
    assert action.payload["invoice_status"] == {"old": "partial", "new": "paid"}
    assert action.payload["plans_completed"] == []
    assert (action.payload["due_before"], action.payload["due_after"]) == ("150.00", "0.00")


def test_partial_payment_of_an_overdue_invoice_stays_overdue(ctx, world, log):
    record_payment(
        ctx, client=world.client, invoice=world.overdue, method="cheque", amount=Decimal("40"),
        reference="0001234",
    )  # fmt: skip
    assert world.overdue.amount_due == Decimal("60.00")
    [action] = log.new()
    assert action.payload["invoice_status"] == {"old": "overdue", "new": "overdue"}


def test_paying_the_last_invoice_of_a_plan_completes_it(ctx, world, attempt, log):
    plan = PaymentPlan(
        attempt_id=attempt.id, client_id=world.client.id, total=Decimal("100.00"), status="active"
    )
    plan.invoices = [world.overdue]
    plan.installments = [
        Installment(attempt_id=attempt.id, seq=1, due_date=world.overdue.due_on, amount=100)
    ]
    db.session.add(plan)
    db.session.flush()
    record_payment(
        ctx, client=world.client, invoice=world.overdue, method="transfer", amount=Decimal("100")
    )
    assert plan.status == "completed"
    assert log.new()[0].payload["plans_completed"] == [plan.id]


def _refused(ctx, world, exc_type, **kwargs):
    before = (len(_payments(ctx.attempt)), world.overdue.amount_paid)
    with pytest.raises(exc_type) as info:
        record_payment(ctx, client=world.client, **kwargs)
    db.session.rollback()
    assert (len(_payments(ctx.attempt)), world.overdue.amount_paid) == before
    return info.value


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("100.01"), "Montant supérieur au reste dû (100,00 €) : 100,00 € au plus."),
        (Decimal("0.005"), "Montant avec deux décimales au plus."),
        (Decimal("0"), "Le montant doit être positif."),
        (Decimal("-5"), "Le montant doit être positif."),
    ],
)
def test_bad_amounts_are_refused_with_the_figure_due(ctx, world, log, amount, message):
    error = _refused(
        ctx, world, ValidationFailed, invoice=world.overdue, method="transfer", amount=amount
    )
    assert error.fields == {"amount": message}
    assert log.new() == []


def test_order_amount_above_its_total_is_refused(ctx, world, log):
    error = _refused(
        ctx, world, ValidationFailed, order=world.order, method="cheque", amount=Decimal("59.77")
    )
    assert "59,76" in error.fields["amount"]
    assert log.new() == []


def test_exactly_one_target(ctx, world, log):
    error = _refused(ctx, world, ValidationFailed, method="cheque", amount=Decimal("1"))
    assert set(error.fields) == {"order_id"}
    error = _refused(
        ctx, world, ValidationFailed, order=world.order, invoice=world.overdue, method="cheque",
        amount=Decimal("1"),
    )  # fmt: skip
    assert set(error.fields) == {"order_id"}
    assert log.new() == []


def test_a_draft_order_cannot_be_paid(ctx, world, log):
    error = _refused(
        ctx, world, InvalidTransition, order=world.draft, method="cheque", amount=Decimal("1")
    )
    assert error.code == "invalid_transition" and "T-CMD-2" in error.message
    assert log.new() == []


def test_a_paid_invoice_and_an_invoiced_order_are_conflicts(ctx, world, attempt, log):
    error = _refused(ctx, world, Conflict, invoice=world.paid, method="cheque", amount=Decimal("1"))
    assert error.code == "already_paid"
    world.upcoming.order_id = world.order.id
    error = _refused(ctx, world, Conflict, order=world.order, method="cheque", amount=Decimal("1"))
    assert error.code == "order_invoiced"
    assert log.new() == []


def test_other_clients_order_and_other_attempts_invoice(ctx, world, log):
    with pytest.raises(ValidationFailed) as info:
        record_payment(
            ctx, client=world.other_client, order=world.order, method="cheque", amount=Decimal(1)
        )
    assert set(info.value.fields) == {"order_id"}
    with pytest.raises(NotFound):
        record_payment(
            ctx, client=world.client, invoice=world.foreign_invoice, method="cheque",
            amount=Decimal(1),
        )  # fmt: skip
    assert log.new() == []


def test_method_and_card_consistency(ctx, world, log):
    error = _refused(
        ctx, world, ValidationFailed, invoice=world.overdue, method="bitcoin", amount=Decimal(1)
    )
    assert set(error.fields) == {"method"}
    error = _refused(
        ctx, world, ValidationFailed, invoice=world.overdue, method="transfer", amount=Decimal(1),
        card=VISA,
    )  # fmt: skip
    assert set(error.fields) == {"card"}
    error = _refused(
        ctx, world, ValidationFailed, invoice=world.overdue, method="card", amount=Decimal(1)
    )
    assert set(error.fields) == {"card.number"}
    error = _refused(
        ctx, world, ValidationFailed, invoice=world.overdue, method="card", amount=Decimal(1),
        card=CardInput("4111111111111111", "", " "),
    )  # fmt: skip
    assert set(error.fields) == {"card.expiry", "card.cvv"}
    assert log.new() == []


@pytest.mark.parametrize(
    ("card", "fields", "reasons", "masked"),
    [
        (CardInput("4111111111111112", "12/30", "123"), {"card.number"}, ["luhn"],
         "411111******1112"),
        (CardInput("4012 8888 8888 1881", "12/30", "123"), {"card.number"},
         ["not_training_card"], "401288******1881"),
        (CardInput("4111111111111111", "01/20", "123"), {"card.expiry"}, ["expiry"],
         "411111******1111"),
        (CardInput("4111111111111111", "12/30", "12"), {"card.cvv"}, ["cvv"], "411111******1111"),
        (CardInput("41111", "12/30", "123"), {"card.number"}, ["format"], None),
    ],
)  # fmt: skip
def test_a_refused_card_is_kept_as_evidence_only(ctx, world, log, card, fields, reasons,
                                                 masked):  # fmt: skip
    result = record_payment(
        ctx, client=world.client, invoice=world.overdue, method="card", amount=Decimal("10"),
        card=card,
    )  # fmt: skip
    assert not result.ok
    assert set(result.refusal.fields) == fields and result.refusal.code == "card_refused"
    assert result.payment.status == "refused" and result.payment.masked_card == masked
    assert world.overdue.amount_paid == Decimal("0.00")
    [action] = log.new()
    assert action.verb == "payment.refused"
    assert action.payload["reasons"] == reasons
    assert action.payload["masked_card"] == masked
    assert action.payload["allocation"] == {"invoice_id": world.overdue.id, "invoice": "T-FA-1"}
    assert "4111111111111111" not in str(action.payload)
