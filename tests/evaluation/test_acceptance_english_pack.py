"""Acceptance of the English-speaking day (*Provence Gourmet*): a careful and a hasty candidate.

English-speaking customers write and call; one French customer writes in French. The careful
candidate answers each in their own language, with the English templates for English
exchanges, after reading the knowledge base, sells the half-litre bottles for the out-of-stock
can with a jar of tapenade, and qualifies every contact. The hasty one answers everybody in
French, with the French template, reads nothing, and takes the order without offering anything.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.claims.services import open_claim
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.knowledge.models import MessageTemplate
from softphone.inbox.sending import reply
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "journee-anglais-provence"
SORRY_EN = (
    "Dear Mr O'Neill, we are very sorry that your parcel arrived damaged. We have opened a claim "
    "and will send you a replacement at our cost within 48 hours."
)
SORRY_FR = (
    "Bonjour, nous sommes désolés pour ce colis. Nous vous renvoyons un coffret au plus vite."
)
SHIPPING_EN = "Hello James, yes: we ship to the UK in 5 to 7 working days for €14.90."
VAT_EN = "Your mother will pay the UK import VAT and duties on delivery, if any are due."
SHIPPING_FR = "Bonjour, oui, nous livrons en Angleterre en 5 à 7 jours pour 14,90 €."
STORAGE_FR = (
    "Bonjour Madame Arnaud, gardez votre huile à l'abri de la lumière et de la chaleur, bien "
    "bouchée, et pas au réfrigérateur : elle se conserve 18 mois après la récolte."
)
GIFT_EN = (
    "Dear Sarah, yes: a free gift message can go with any discovery box, and the price is not "
    "shown on the delivery note."
)
GIFT_FR = "Bonjour, oui, nous pouvons ajouter un message cadeau et le prix n'est pas indiqué."


def template(desk: Desk, key: str) -> int:
    return db.session.scalar(
        sa.select(MessageTemplate.id).where(
            MessageTemplate.attempt_id == desk.attempt.id, MessageTemplate.key == key
        )
    )


def careful(desk: Desk) -> None:
    """Each customer answered in their language, from the knowledge base."""
    parcel = desk.receive("email-damaged-parcel")
    desk.take(parcel)
    desk.read_kb("damaged-parcel")
    patrick = desk.client("C30002")
    open_claim(desk.ctx, patrick, "damaged", "Bouteille cassée dans un des deux coffrets.")
    reply(desk.ctx, parcel, SORRY_EN, template_id=template(desk, "damaged-parcel-en"))
    desk.close(parcel, "RECLAMATION", "Coffret renvoyé à nos frais.")

    chat = desk.receive("chat-shipping-uk")
    desk.take(chat)
    desk.read_kb("shipping-uk")
    desk.write_back(chat, SHIPPING_EN)
    desk.write_back(chat, VAT_EN)
    desk.close(chat, "INFO", "Livraison au Royaume-Uni et TVA à l'import expliquées.")

    desk.answer("appel-commande-anglais")
    sarah = desk.client("C30001")
    desk.verify(sarah)
    order = desk.order(sarah)
    assert desk.add(order, "HUI-AOP-300", 1).shortage is not None
    desk.substitute(order, "HUI-AOP-50", "HUI-AOP-300", accepted=True, quantity=6)
    desk.additional(order, "TAP-NOIRE-180", accepted=True, quantity=1)
    desk.recap(order)
    assert desk.confirm(order).refusal is None
    desk.pay_by_card(order)
    desk.confirm_in_writing(order)
    desk.hang_up()
    desk.qualify("VENTE", "Six bouteilles de 50 cl pour le bidon en rupture, tapenade en plus.")

    storage = desk.receive("email-conservation-fr")
    desk.take(storage)
    desk.read_kb("olive-oil-storage")
    desk.write_back(storage, STORAGE_FR)
    desk.close(storage, "INFO", "Conservation de l'huile expliquée.")

    gift = desk.receive("email-gift-message")
    desk.take(gift)
    desk.read_kb("gift-messages")
    desk.write_back(gift, GIFT_EN)
    desk.close(gift, "INFO", "Message cadeau possible, prix masqué.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """Everybody answered in French, from memory; the order taken as asked."""
    parcel = desk.receive("email-damaged-parcel")
    desk.take(parcel)
    reply(desk.ctx, parcel, SORRY_FR, template_id=template(desk, "confirmation-commande-fr"))
    desk.close(parcel, "INFO", "Répondu.")

    chat = desk.receive("chat-shipping-uk")
    desk.take(chat)
    desk.write_back(chat, SHIPPING_FR)
    desk.close(chat, "INFO", "Répondu.")

    desk.answer("appel-commande-anglais")
    sarah = desk.client("C30001")
    order = desk.order(sarah)
    assert desk.add(order, "HUI-AOP-300", 1).shortage is not None
    desk.add(order, "HUI-AOP-50", 6)
    assert desk.confirm(order).refusal is None
    desk.pay_by_card(order)
    desk.hang_up()
    desk.qualify("VENTE", "Commande.")

    gift = desk.receive("email-gift-message")
    desk.take(gift)
    desk.write_back(gift, GIFT_FR)
    desk.close(gift, "INFO", "Répondu.")
    db.session.commit()


@pytest.fixture
def day(app, people):
    """(careful attempt, hasty attempt) of a running shift on the English pack, both played."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty), and why the hasty attempt fails it.
EXPECTED = {
    "replies_in_exchange_language": (MET, NOT_MET),  # French to three English customers
    "templates_well_used": (MET, NOT_MET),  # the French template for an English exchange
    "knowledge_base_consulted": (MET, NOT_MET),  # nothing read before answering
    "substitute_offered": (MET, NOT_MET),  # the out-of-stock can met with a plain line
    "additional_sale_offered": (MET, NOT_MET),  # nothing more offered
    "contacts_qualified": (MET, NOT_MET),  # the damaged parcel qualified INFO, not RECLAMATION
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(day, rule_id):
    assert_rule_tells_apart(day, rule_id, EXPECTED[rule_id])


def test_the_hasty_replies_are_named_with_their_languages(day):
    _careful, hasty_attempt = day
    result = RULES["replies_in_exchange_language"].evaluate(AttemptEvidence(hasty_attempt))
    assert result.figures == {"replies": 3, "in_english": 3}
    assert len(result.not_met_ids) == 3
    assert result.explanation.count("écrit en français à un client qui écrit en anglais") == 3
