"""Claims opened with a category and acknowledged: the number given to the customer."""

from __future__ import annotations

import pytest

from crm.actionlog.services import Ctx
from crm.claims.services import open_claim
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.claims import gives_number
from crm.evaluation.rules.evidence import AttemptEvidence
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from tests.evaluation.conftest import last

EMAIL = "amandine.roussel@free.example"  # Mme Roussel (C20003) of the default scenario


def verdict(attempt):
    return RULES["claim_opened_and_acknowledged"].evaluate(AttemptEvidence(attempt))


@pytest.fixture
def complaint(attempt, people):
    """Mme Roussel's email about a damaged parcel, and her claim opened by the candidate."""
    customer = Ctx(attempt, people["trainer"].id, "customer")
    conversation = receive_message(
        customer, "email", EMAIL, "Mon colis est arrivé abîmé.", "Colis abîmé"
    ).conversation
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    claim = open_claim(ctx, conversation.client, "damaged", "Colis arrivé éventré, toner renversé.")
    db.session.commit()
    return ctx, conversation, claim


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("Votre réclamation REC-2026-0001 est enregistrée.", True),
        ("Je note : rec 2026 0001.", True),
        ("Votre numéro de réclamation est le 0001.", True),
        ("Your claim number is 0001.", True),
        ("Votre dossier 0001 est ouvert.", False),  # which number? not said to be the claim's
        ("Réclamation enregistrée sous le 00012.", False),
        ("Réclamation enregistrée.", False),
    ],
)
def test_what_gives_the_claims_number(text, given):
    assert gives_number(text, "REC-2026-0001") is given


def test_no_claim_is_not_observed(attempt):
    assert verdict(attempt).status == NOT_OBSERVED


@pytest.mark.parametrize(
    "written",
    ["Votre réclamation {n} est enregistrée.", "Réclamation n° {spaced}, réponse sous 5 jours."],
)
def test_a_claim_whose_number_is_written_to_the_customer_is_met(attempt, complaint, written):
    ctx, conversation, claim = complaint
    opened = last("claim.opened")
    text = written.format(n=claim.number, spaced=claim.number.replace("-", " "))
    reply(ctx, conversation, text)
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (opened.id, last("message.sent").id))
    assert claim.number in result.explanation


def test_a_claim_never_acknowledged_is_not_met(attempt, complaint):
    ctx, conversation, claim = complaint
    reply(ctx, conversation, "Nous sommes désolés, nous regardons cela.")
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (last("claim.opened").id,))
    assert f"réclamation {claim.number} (Colis endommagé) : numéro jamais communiqué" in (
        result.explanation
    )


# --- the warranty checked before a breakdown's claim ----------------------------------------


@pytest.fixture
def breakdown(attempt, people):
    """A delivered order of a product warranted 24 months, and its client (cand1's world)."""
    from datetime import timedelta
    from decimal import Decimal

    from crm import clock
    from crm.catalog.models import Product
    from crm.clients.models import Client
    from crm.orders.models import Order, OrderLine

    product = Product(
        attempt_id=attempt.id,
        sku="TST-LAVE",
        name="Lave-linge test",
        sale_unit_label="Pièce",
        sale_unit_quantity=1,
        unit_price=Decimal("400.00"),
        vat_rate=Decimal("20.00"),
        stock=3,
        warranty_months=24,
    )
    client = Client(
        attempt_id=attempt.id, number="TST-SAV", kind="client", segment="b2c", last_name="Panne"
    )
    db.session.add_all([product, client])
    db.session.flush()
    order = Order(
        attempt_id=attempt.id,
        number="TST-SAV-1",
        client_id=client.id,
        status="delivered",
        delivered_on=clock.today() - timedelta(days=100),
    )
    order.lines.append(
        OrderLine(
            attempt_id=attempt.id,
            product_id=product.id,
            quantity=1,
            unit_price=product.unit_price,
            vat_rate=product.vat_rate,
        )
    )
    db.session.add(order)
    db.session.commit()
    return Ctx(attempt, people["cand1"].id, "candidate"), client, order


def warranty_verdict(attempt):
    return RULES["warranty_checked_before_repair_claim"].evaluate(AttemptEvidence(attempt))


def test_no_breakdown_claim_on_a_warranted_order_is_not_observed(attempt, breakdown):
    ctx, client, order = breakdown
    open_claim(ctx, client, "damaged", "Hublot fissuré à la livraison.", order)  # not a breakdown
    open_claim(ctx, client, "defective", "Ne démarre plus, sans commande liée.")  # no order
    db.session.commit()
    assert warranty_verdict(attempt).status == NOT_OBSERVED


def test_a_breakdown_claim_after_the_warranty_check_is_met(attempt, breakdown):
    from crm.aftersales.warranty import check_warranty

    ctx, client, order = breakdown
    check_warranty(ctx, order)
    claim = open_claim(ctx, client, "defective", "Fuite sous le hublot depuis hier.", order)
    db.session.commit()
    result = warranty_verdict(attempt)
    assert result.status == MET
    assert result.evidence == (last("warranty.checked").id, last("claim.opened").id)
    assert claim.number in result.explanation


def test_a_breakdown_claim_before_any_check_is_not_met(attempt, breakdown):
    from crm.aftersales.warranty import check_warranty

    ctx, client, order = breakdown
    claim = open_claim(ctx, client, "defective", "Fuite sous le hublot depuis hier.", order)
    check_warranty(ctx, order)  # too late: the claim was opened blind
    db.session.commit()
    result = warranty_verdict(attempt)
    assert (result.status, result.not_met_ids) == (NOT_MET, (last("claim.opened").id,))
    assert f"dossier {claim.number} (commande TST-SAV-1)" in result.explanation
