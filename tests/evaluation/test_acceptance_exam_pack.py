"""Acceptance of the exam pack (*Linéa Maison*): a careful and a hasty candidate, judged.

Both play the pack's six situations through the real services, as in the official live
role-play: an order with a stock-out (substitute, additional sale, recap, payment, written
confirmation), an e-mail complaint about a late parcel, an unpaid invoice, a withdrawal question
by chat, a change of address and an SMS « STOP ».

The careful candidate verifies identities, offers the expected substitute and the matching
pillowcases, reads the recap, opens the claim after reading the delivery article, reads the
invoices and grants a three-instalment plan, answers the chat from the withdrawal article,
updates the address and the SMS consent, and qualifies every contact with its right code. The
hasty one skips the identity checks, ignores the stock-out, offers nothing more and reads no
recap, answers the complaint without a claim or an article, promises nothing to the unpaid
customer, and leaves the SMS unanswered and the file as it was.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.claims.services import open_claim
from crm.clients.services import update_client
from crm.db import db
from crm.dunning.services import InstallmentInput, create_payment_plan
from crm.payments.history import view_invoices
from crm.payments.models import Invoice
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "examen-linea-maison"
SORRY = (
    "Bonjour Monsieur Bonnet, nous sommes désolés de ce retard. Nous avons ouvert une enquête "
    "auprès de Colissimo et nous pouvons vous réexpédier la commande dès aujourd'hui."
)
WITHDRAWAL = (
    "Bonjour, oui : vous avez 14 jours après la réception pour vous rétracter, sans "
    "justification. Nous vous remboursons sur votre carte dès réception du colis."
)


def careful(desk: Desk) -> None:
    """The candidate who does things right."""
    desk.answer("appel-commande-rupture")
    claire = desk.client("C20011")
    desk.verify(claire)
    order = desk.order(claire)
    assert desk.add(order, "LIN-HC-240", 1).shortage is not None
    desk.substitute(order, "LIN-HC-240-COT", "LIN-HC-240", accepted=True, quantity=1)
    desk.additional(order, "LIN-TO-65", accepted=True, quantity=1)
    desk.recap(order)
    assert desk.confirm(order).refusal is None
    desk.pay_by_card(order)
    desk.confirm_in_writing(order)
    desk.hang_up()
    desk.qualify("VENTE", "Housse coton lavé en substitution du lin, taies assorties en plus.")

    email = desk.receive("email-retard-livraison")
    desk.take(email)
    desk.read_kb("livraison-suivi")
    herve = desk.client("C20017")
    open_claim(desk.ctx, herve, "delivery_delay", "Colis LM-2026-02391 bloqué depuis 5 jours.")
    desk.write_back(email, SORRY)
    desk.close(email, "RECLAMATION", "Enquête Colissimo ouverte, réexpédition proposée.")

    desk.answer("appel-impaye")
    yann = desk.client("C20014")
    desk.verify(yann)
    invoice = db.session.scalar(
        db.select(Invoice).where(
            Invoice.attempt_id == desk.attempt.id, Invoice.client_id == yann.id
        )
    )
    view_invoices(desk.ctx, yann, count=1)
    owed = invoice.amount - invoice.amount_paid
    first = clock.today() + timedelta(days=7)
    parts = [Decimal("86.54"), Decimal("86.53"), owed - Decimal("86.54") - Decimal("86.53")]
    create_payment_plan(
        desk.ctx,
        yann,
        [invoice],
        [InstallmentInput(first + timedelta(days=30 * i), part) for i, part in enumerate(parts)],
    )
    desk.hang_up()
    desk.qualify("ECHEANCIER", "Trois mensualités accordées, confirmation envoyée.")

    chat = desk.receive("chat-retractation")
    desk.take(chat)
    desk.read_kb("droit-retractation")
    desk.write_back(chat, WITHDRAWAL)
    desk.close(chat, "INFO", "Rétractation sous 14 jours expliquée.")

    desk.answer("appel-changement-adresse")
    julien = desk.client("C20025")
    desk.verify(julien)
    update_client(
        desk.ctx, julien, {"street": "40 rue Jean Jaurès", "postcode": "44400", "city": "Rezé"}
    )
    desk.hang_up()
    desk.qualify("MAJ-FICHIER", "Nouvelle adresse à Rezé.")

    sms = desk.receive("sms-stop")
    desk.take(sms)
    update_client(desk.ctx, desk.client("C20021"), {"consent_sms": False})
    desk.close(sms, "MAJ-FICHIER", "STOP reçu : consentement SMS retiré.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """The candidate who rushes: no checks, no offers, no claim, no plan, the SMS left aside."""
    desk.answer("appel-commande-rupture")
    claire = desk.client("C20011")
    order = desk.order(claire)
    assert desk.add(order, "LIN-HC-240", 1).shortage is not None
    desk.add(order, "LIN-HC-240-COT", 1)  # entered as a plain line, never offered
    assert desk.confirm(order).refusal is None
    desk.pay_by_card(order)
    desk.hang_up()
    desk.qualify("VENTE", "Commande.")

    email = desk.receive("email-retard-livraison")
    desk.take(email)
    desk.write_back(email, "Bonjour, votre colis va arriver. Cordialement.")
    desk.close(email, "INFO", "Répondu.")

    desk.answer("appel-impaye")
    desk.hang_up()
    desk.qualify("INFO", "Rappellera quand il pourra payer.")

    chat = desk.receive("chat-retractation")
    desk.take(chat)
    desk.write_back(chat, WITHDRAWAL)
    desk.close(chat, "INFO", "Répondu.")

    desk.answer("appel-changement-adresse")
    desk.hang_up()
    desk.qualify("INFO", "Adresse notée.")
    db.session.commit()


@pytest.fixture
def exam(app, people):
    """(careful attempt, hasty attempt) of a running shift on the exam pack, both played."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "identity_verified_first": (MET, NOT_MET),  # order and address calls without a check
    "substitute_offered": (MET, NOT_MET),  # the stock-out met with a plain line
    "additional_sale_offered": (MET, NOT_MET),  # nothing more offered on the order
    "recap_before_confirmation": (MET, NOT_MET),  # confirmed without the recap
    "written_confirmation_sent": (MET, NOT_MET),  # no written confirmation of the order
    "knowledge_base_consulted": (MET, NOT_MET),  # complaint and chat answered unread
    "contacts_qualified": (MET, NOT_MET),  # wrong codes against the pack's expectations
    "client_file_updated": (MET, NOT_MET),  # the new address and the STOP never entered
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(exam, rule_id):
    assert_rule_tells_apart(exam, rule_id, EXPECTED[rule_id])
