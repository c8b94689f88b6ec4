"""Payments per procedure and promises/plans consistent with the debt, via the real services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.rules.payments import card_numbers_in
from crm.orders.models import Order
from crm.payments.models import Invoice
from crm.payments.services import CardInput, record_payment
from tests.payments.conftest import make_order, make_product

VISA = CardInput("4111 1111 1111 1111", "12/30", "123")
#: Luhn-valid but not a training card of the scenario: refused.
REFUSED = CardInput("4242 4242 4242 4242", "12/30", "123")


def verdict(attempt, rule_id):
    return RULES[rule_id].evaluate(AttemptEvidence(attempt))


def actions(verb: str) -> list[Action]:
    return list(
        db.session.scalars(sa.select(Action).where(Action.verb == verb).order_by(Action.seq))
    )


@pytest.fixture
def payer(attempt) -> Client:
    client = Client(
        attempt_id=attempt.id, number="T-PAY-1", kind="client", segment="b2c", last_name="Payeur"
    )
    db.session.add(client)
    db.session.flush()
    return client


@pytest.fixture
def order(attempt, payer) -> Order:
    """A confirmed order of 2 × 24.90 excl. VAT: 59.76 incl. VAT."""
    order = make_order(attempt, payer, make_product(attempt, "T-PAY-SKU"), "T-CMD-1", "confirmed")
    db.session.commit()
    return order


def invoice(attempt, client, number, amount) -> Invoice:
    today = clock.today()
    row = Invoice(
        attempt_id=attempt.id,
        number=number,
        client_id=client.id,
        issued_on=today - timedelta(days=45),
        due_on=today - timedelta(days=15),
        amount=Decimal(amount),
    )
    db.session.add(row)
    db.session.commit()
    return row


def pay(ctx, payer, *, order=None, invoice=None, amount="59.76", card=VISA, method="card"):
    result = record_payment(
        ctx,
        client=payer,
        order=order,
        invoice=invoice,
        method=method,
        amount=Decimal(amount),
        card=card if method == "card" else None,
    )
    db.session.commit()
    return result


# --- payment per procedure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Carte 4111 1111 1111 1111 exp 12/30", True),
        ("4111-1111-1111-1111", True),
        ("Amex 3782 822463 10005", True),
        ("Siret 73282932000074, tél. 04 78 12 34 56", False),
        ("Carte 4111 1111 1111 1112 (faux)", False),
        ("Commande CMD-2026-00412 de 1234567890123456 unités", False),
    ],
)
def test_what_counts_as_a_card_number_in_clear(text, found):
    assert card_numbers_in({"note": text}) is found


def test_payment_not_observed_without_payments(attempt):
    assert verdict(attempt, "payment_per_procedure").status == NOT_OBSERVED


def test_payment_in_full_per_procedure_is_met(attempt, ctx, payer, order):
    pay(ctx, payer, order=order, card=REFUSED)
    pay(ctx, payer, order=order)
    result = verdict(attempt, "payment_per_procedure")
    ids = tuple(a.id for a in actions("payment.refused") + actions("payment.recorded"))
    assert (result.status, result.evidence) == (MET, ids)
    assert "carte bancaire, 59,76 € sur la commande T-CMD-1" in result.explanation
    assert result.figures == {"payments": 1, "refused": 1}


def test_an_order_left_partly_paid_is_not_met(attempt, ctx, payer, order):
    pay(ctx, payer, order=order, amount="20.00")
    [recorded] = actions("payment.recorded")
    result = verdict(attempt, "payment_per_procedure")
    assert (result.status, result.not_met_ids) == (NOT_MET, (recorded.id,))
    assert "39,76 € restent dus" in result.explanation
    pay(ctx, payer, order=order, amount="39.76", method="transfer")  # the balance by transfer
    assert verdict(attempt, "payment_per_procedure").status == MET


def test_insisting_after_three_refused_cards_is_not_met(attempt, ctx, payer, order):
    for _ in range(3):
        pay(ctx, payer, order=order, card=REFUSED)
    assert verdict(attempt, "payment_per_procedure").status == NOT_OBSERVED
    pay(ctx, payer, order=order)
    result = verdict(attempt, "payment_per_procedure")
    [recorded] = actions("payment.recorded")
    assert (result.status, result.not_met_ids) == (NOT_MET, (recorded.id,))
    assert "nouvel essai de carte après 3 refus" in result.explanation


def test_a_card_number_typed_in_a_note_is_not_met(attempt, ctx, payer, order):
    pay(ctx, payer, order=order)
    contact = open_contact(ctx, payer, "phone", "inbound")
    qualify_contact(ctx, contact, "VENTE", "Payé avec la carte 4111 1111 1111 1111.")
    db.session.commit()
    result = verdict(attempt, "payment_per_procedure")
    [qualified] = actions("contact.qualified")
    assert (result.status, result.not_met_ids) == (NOT_MET, (qualified.id,))
    assert "numéro de carte saisi en clair (Contact qualifié (code et note))" in result.explanation


# --- promises and plans -----------------------------------------------------------------------


def test_plan_not_observed_without_promise_or_plan(attempt):
    assert verdict(attempt, "plan_consistent_with_debt").status == NOT_OBSERVED


def test_a_promise_of_the_whole_debt_and_a_plan_are_met(attempt, ctx, payer):
    first = invoice(attempt, payer, "T-FA-1", "250.00")
    second = invoice(attempt, payer, "T-FA-2", "300.00")
    today = clock.today()
    record_promise(ctx, first, Decimal("250.00"), today + timedelta(days=10), "transfer")
    create_payment_plan(
        ctx,
        payer,
        [second],
        [InstallmentInput(today + timedelta(days=7 + 30 * i), Decimal("100.00")) for i in range(3)],
    )
    db.session.commit()
    result = verdict(attempt, "plan_consistent_with_debt")
    ids = (actions("promise.recorded")[0].id, actions("plan.created")[0].id)
    assert (result.status, result.evidence) == (MET, ids)
    assert "250,00 €" in result.explanation and "3 échéances, 300,00 €" in result.explanation


def test_a_partial_promise_is_not_met_until_the_rest_is_paid(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "250.00")
    record_promise(ctx, debt, Decimal("100.00"), clock.today() + timedelta(days=10), "cheque")
    db.session.commit()
    result = verdict(attempt, "plan_consistent_with_debt")
    [promise] = actions("promise.recorded")
    assert (result.status, result.not_met_ids) == (NOT_MET, (promise.id,))
    assert "250,00 € dus, 150,00 € sans engagement ni règlement" in result.explanation
    pay(ctx, payer, invoice=debt, amount="150.00")
    assert verdict(attempt, "plan_consistent_with_debt").status == MET


def test_an_invoice_in_a_plan_and_a_promise_is_committed_twice(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "200.00")
    today = clock.today()
    create_payment_plan(
        ctx,
        payer,
        [debt],
        [InstallmentInput(today + timedelta(days=7 + 30 * i), Decimal("100.00")) for i in range(2)],
    )
    record_promise(ctx, debt, Decimal("200.00"), today + timedelta(days=5), "card")
    db.session.commit()
    result = verdict(attempt, "plan_consistent_with_debt")
    assert (result.status, result.not_met_ids) == (NOT_MET, (actions("promise.recorded")[0].id,))
    assert "facture T-FA-1 engagée deux fois" in result.explanation


def test_promises_beyond_what_is_owed_are_not_met(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "200.00")
    day = clock.today() + timedelta(days=5)
    record_promise(ctx, debt, Decimal("150.00"), day, "card")
    record_promise(ctx, debt, Decimal("150.00"), day, "card")
    db.session.commit()
    result = verdict(attempt, "plan_consistent_with_debt")
    assert result.status == NOT_MET
    assert "300,00 € promis pour 200,00 € dus" in result.explanation


def test_a_payment_the_scenario_makes_arrive_is_not_the_candidates(attempt):
    from crm.actionlog.services import Ctx
    from softphone.scenarios.payments import fire_payment

    fire_payment(
        Ctx(attempt, None, "system"),
        {"invoice": "FA-207691", "amount": "406.92", "method": "transfer"},
    )
    db.session.commit()
    assert verdict(attempt, "payment_per_procedure").status == NOT_OBSERVED


# --- no new promise after a broken one ------------------------------------------------------


def break_promise(attempt, ctx, debt, amount="100.00"):
    """A promise on `debt` due today, unpaid, decided broken when the day has passed."""
    from crm.actionlog.services import Ctx
    from crm.dunning.decisions import passed_at
    from crm.dunning.settling import settle_due_dates

    today = clock.today()
    promise = record_promise(ctx, debt, Decimal(amount), today, "transfer")
    settled = settle_due_dates(Ctx(attempt, None, "system"), passed_at(today))
    assert promise.id in settled.broken  # (the world's own promises due by today too)
    db.session.commit()
    return next(a for a in actions("promise.broken") if a.object_id == promise.id)


def test_no_promise_after_broken_not_observed_without_a_broken_promise(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "250.00")
    record_promise(ctx, debt, Decimal("250.00"), clock.today() + timedelta(days=10), "transfer")
    db.session.commit()
    assert verdict(attempt, "no_promise_after_broken_one").status == NOT_OBSERVED


def test_a_new_promise_on_an_invoice_whose_promise_broke_is_not_met(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "250.00")
    broken = break_promise(attempt, ctx, debt)
    record_promise(ctx, debt, Decimal("250.00"), clock.today() + timedelta(days=14), "transfer")
    db.session.commit()
    result = verdict(attempt, "no_promise_after_broken_one")
    renewed = actions("promise.recorded")[-1]
    assert (result.status, result.not_met_ids) == (NOT_MET, (renewed.id,))
    assert "facture T-FA-1 : promesse rompue le" in result.explanation
    assert broken.id in result.met_ids


def test_a_plan_or_a_payment_after_a_broken_promise_is_met(attempt, ctx, payer):
    debt = invoice(attempt, payer, "T-FA-1", "250.00")
    other = invoice(attempt, payer, "T-FA-2", "80.00")
    broken = break_promise(attempt, ctx, debt)
    today = clock.today()
    create_payment_plan(
        ctx,
        payer,
        [debt],
        [InstallmentInput(today + timedelta(days=5 + 30 * i), Decimal("125.00")) for i in (0, 1)],
    )
    # A promise on another invoice is not a renewed one.
    record_promise(ctx, other, Decimal("80.00"), today + timedelta(days=7), "card")
    db.session.commit()
    result = verdict(attempt, "no_promise_after_broken_one")
    assert result.status == MET
    assert {broken.id, actions("plan.created")[-1].id} <= set(result.evidence)
    assert "aucune promesse renouvelée : règlement ou échéancier ensuite" in result.explanation
