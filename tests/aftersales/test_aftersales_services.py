"""After-sales services: the action each records, the refusals that leave nothing behind."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.aftersales.credits import credit_return, grant_goodwill, refund_credit_note
from crm.aftersales.deliveries import open_investigation, read_tracking, reship_order
from crm.aftersales.models import CreditNote, Delivery, Refund, Return
from crm.aftersales.returns import authorise_return
from crm.db import db
from crm.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from crm.orders.checkout import cancel_order
from crm.payments.services import record_payment

pytestmark = pytest.mark.empty_world


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _refused(log, *models):
    """A refusal: roll back as the boundary does; nothing recorded, no row left."""
    db.session.rollback()
    assert log.verbs() == []
    return [_count(m) for m in models]


# -- tracking, investigation, re-shipment --------------------------------------------------------


def test_reading_the_tracking_is_recorded_with_what_was_seen(ctx, world, log):
    parcels = read_tracking(ctx, world.late)
    assert [p.tracking_number for p in parcels] == ["6ATEST0000001"]
    action = log.last("delivery.tracking_read")
    assert action.object_type == "order" and action.object_id == world.late.id
    seen = action.payload["deliveries"][0]
    assert seen["status"] == "incident"
    assert seen["last_event"]["incident"] == "delayed"


def test_no_tracking_to_read_on_an_order_never_shipped(ctx, world, log):
    with pytest.raises(Conflict) as refused:
        read_tracking(ctx, world.paid)
    assert refused.value.code == "no_delivery"
    _refused(log)


def test_investigation_on_an_incident_then_reship(ctx, world, log):
    open_investigation(ctx, world.parcel, "Client prévenu, réponse sous 48 h")
    db.session.commit()
    action = log.last("delivery.investigation_opened")
    assert action.payload["incident"] == "delayed"
    assert action.payload["status"] == {"old": "incident", "new": "investigating"}
    assert world.parcel.investigation_reference.startswith("ENQ-")

    new = reship_order(ctx, world.parcel)
    db.session.commit()
    action = log.last("delivery.reshipped")
    assert world.parcel.status == "replaced" and world.parcel.replaced_by_id == new.id
    assert new.status == "preparing" and new.tracking_number != world.parcel.tracking_number
    assert action.payload["tracking_number"] == new.tracking_number
    assert action.payload["order_status"] == {"old": "shipped", "new": "shipped"}


def test_no_second_investigation_and_no_reship_of_a_replaced_parcel(ctx, world, log):
    open_investigation(ctx, world.parcel)
    reship_order(ctx, world.parcel)
    db.session.commit()
    log.new()
    with pytest.raises(InvalidTransition):
        open_investigation(ctx, world.parcel)
    with pytest.raises(InvalidTransition):
        reship_order(ctx, world.parcel)
    _refused(log)


def test_a_note_too_long_is_refused_on_its_field(ctx, world, log):
    with pytest.raises(ValidationFailed) as refused:
        open_investigation(ctx, world.parcel, "x" * 501)
    assert set(refused.value.fields) == {"note"}
    _refused(log)
    assert db.session.get(Delivery, world.parcel.id).status == "incident"


# -- returns -----------------------------------------------------------------------------------


def test_a_consumer_withdraws_within_fourteen_days(ctx, world, log):
    ret = authorise_return(ctx, world.delivered, reason="Ne convient pas")
    db.session.commit()
    assert ret.number.startswith("RET-") and ret.label_code.startswith("LR")
    assert ret.amount == Decimal("120.00")
    assert world.delivered.status == "returned"
    action = log.last("return.authorised")
    assert action.payload["order_status"] == {"old": "delivered", "new": "returned"}
    assert action.payload["lines"][0]["quantity"] == 2


def test_a_partial_return_keeps_the_order_delivered(ctx, world, log):
    line = world.delivered.lines[0]
    ret = authorise_return(ctx, world.delivered, [{"line_id": line.id, "quantity": 1}])
    db.session.commit()
    assert ret.amount == Decimal("60.00") and world.delivered.status == "delivered"
    with pytest.raises(ValidationFailed) as refused:
        authorise_return(ctx, world.delivered, [{"line_id": line.id, "quantity": 2}])
    left = "1 au plus : reste à retourner sur cette ligne."
    assert refused.value.fields == {"lines[0].quantity": left}


@pytest.mark.parametrize(
    ("order", "text"),
    [("old", "Délai de rétractation dépassé"), ("pro", "Client professionnel")],
)
def test_withdrawal_refused_with_the_reason(ctx, world, log, order, text):
    with pytest.raises(ValidationFailed) as refused:
        authorise_return(ctx, getattr(world, order))
    assert list(refused.value.fields) == ["order_id"]
    assert refused.value.fields["order_id"].startswith(text)
    assert _refused(log, Return) == [0]


def test_a_shipped_order_can_be_returned_before_delivery(ctx, world, log):
    ret = authorise_return(ctx, world.late)
    assert ret.deadline is None
    assert world.late.status == "returned"


@pytest.mark.parametrize("order", ["paid", "confirmed"])
def test_no_return_before_shipping(ctx, world, log, order):
    with pytest.raises(InvalidTransition):
        authorise_return(ctx, getattr(world, order))
    _refused(log)


def test_bad_return_lines_name_the_field(ctx, world, log):
    with pytest.raises(ValidationFailed) as refused:
        authorise_return(ctx, world.delivered, [{"line_id": 999999, "quantity": 1}])
    assert list(refused.value.fields) == ["lines[0].line_id"]
    with pytest.raises(ValidationFailed) as refused:
        authorise_return(ctx, world.delivered, [])
    assert list(refused.value.fields) == ["lines"]
    _refused(log)


def test_another_attempts_order_is_not_found(ctx, world, log):
    with pytest.raises(NotFound):
        authorise_return(ctx, world.foreign_order)


# -- paid orders, credit notes, refunds ----------------------------------------------------------


def test_paying_a_confirmed_order_in_full_makes_it_paid_and_no_longer_cancellable(ctx, world, log):
    result = record_payment(
        ctx, client=world.consumer, order=world.confirmed, method="transfer",
        amount=Decimal("60.00"),
    )  # fmt: skip
    assert result.ok and world.confirmed.status == "paid"
    assert log.last("payment.recorded").payload["order_status"] == {
        "old": "confirmed",
        "new": "paid",
    }
    db.session.commit()
    with pytest.raises(InvalidTransition) as cancel:
        cancel_order(ctx, world.confirmed)
    assert "proposez un retour" in cancel.value.message
    with pytest.raises(InvalidTransition) as pay:
        record_payment(
            ctx, client=world.consumer, order=world.confirmed, method="transfer",
            amount=Decimal("1.00"),
        )  # fmt: skip
    assert pay.value.message.startswith("Commande déjà réglée")


def test_return_credit_note_then_refund_on_the_masked_card(ctx, world, log):
    ret = authorise_return(ctx, world.delivered)
    note = credit_return(ctx, ret)
    db.session.commit()
    assert note.kind == "return" and note.amount == Decimal("120.00")
    assert ret.status == "credited" and note.number.startswith("AV-")
    log.mark()
    refund = refund_credit_note(ctx, note)
    db.session.commit()
    assert refund.masked_card == "411111******1111" and refund.method == "card"
    assert note.status == "refunded"
    action = log.last("refund.recorded")
    assert action.payload["masked_card"] == "411111******1111"
    assert action.payload["amount"] == "120.00"
    with pytest.raises(InvalidTransition):
        credit_return(ctx, ret)
    with pytest.raises(InvalidTransition):
        refund_credit_note(ctx, note)


def test_goodwill_within_the_delegation(ctx, world, log):
    note = grant_goodwill(ctx, world.consumer, "30.00", "Retard", order=world.delivered)
    assert note.amount == Decimal("30.00") and note.kind == "goodwill"
    assert log.last("credit_note.issued").payload["limit"] == "50.00"


@pytest.mark.parametrize(
    ("amount", "reason", "field", "text"),
    [
        ("50.01", "Geste", "amount", "Au-delà de 50,00"),
        ("36.01", "Geste", "amount", "30 % de la commande au plus"),
        ("0", "Geste", "amount", "Le montant doit être positif."),
        ("abc", "Geste", "amount", "Montant attendu"),
        ("10.00", "  ", "reason", "Indiquez le motif"),
    ],
)
def test_goodwill_refusals_name_the_field(ctx, world, log, amount, reason, field, text):
    with pytest.raises(ValidationFailed) as refused:
        grant_goodwill(ctx, world.consumer, amount, reason, order=world.delivered)
    assert list(refused.value.fields) == [field]
    assert text in refused.value.fields[field]
    assert _refused(log, CreditNote) == [0]


def test_goodwill_without_delegation_is_refused(ctx, world, log, attempt):
    attempt.settings = {**attempt.settings, "after_sales": {}}
    with pytest.raises(ValidationFailed) as refused:
        grant_goodwill(ctx, world.consumer, "5.00", "Geste")
    assert "transférez" in refused.value.fields["amount"]


def test_a_credit_note_without_original_payment_stays_on_the_account(ctx, world, log):
    note = grant_goodwill(ctx, world.consumer, "10.00", "Geste")
    db.session.commit()
    log.new()
    with pytest.raises(Conflict) as refused:
        refund_credit_note(ctx, note)
    assert refused.value.code == "no_original_payment"
    assert _refused(log, Refund) == [0]


def test_refunds_never_exceed_the_original_payment(ctx, world, log):
    notes = [
        grant_goodwill(ctx, world.consumer, "36.00", "Geste", order=world.delivered)
        for _ in range(4)
    ]
    for note in notes[:3]:
        refund_credit_note(ctx, note)
    db.session.commit()
    log.new()
    with pytest.raises(Conflict) as refused:
        refund_credit_note(ctx, notes[3])
    assert refused.value.code == "refund_exceeds_payment"
    _refused(log)
