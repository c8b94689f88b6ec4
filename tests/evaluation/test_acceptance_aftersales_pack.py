"""Acceptance of the after-sales pack (*Domélec Services*): a careful and a hasty adviser, judged.

Both play the pack's six situations through the real services: a washing machine leaking under
the legal warranty (diagnosis, claim, technician booked), an oven delivered damaged (e-mail), a
customer whose technician never came and who wants compensation (goodwill within the adviser's
delegation, technician booked again), a dishwasher out of warranty (chat), a restaurant's
professional dishwasher down (transfer to the professional after-sales) and a new number given
by SMS before a visit.

The careful adviser verifies identities, reads the file and the warranty and diagnosis articles,
asks the diagnosis questions, checks the warranty of the order (the fridge's extended by its
Sérénité contract), opens each claim with its order and gives its number, books the
technician of the customer's sector with a precise topic, grants 40 € (the delegation's most),
transfers the restaurant, enters the new number and checks each caller is satisfied. The hasty
one skips identities and articles, opens the leak's claim without checking the warranty and the
oven's without ever giving its number, books a visit with a one-word topic, tries a 100 €
gesture (refused by the service: beyond the delegation), sends the restaurant to the wrong
service and answers the SMS without entering the number.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.aftersales.credits import grant_goodwill
from crm.aftersales.deliveries import read_tracking
from crm.aftersales.warranty import check_warranty
from crm.claims.services import open_claim
from crm.clients.services import update_client, view_client
from crm.contacts.booking import book_appointment, rep_calendars
from crm.contacts.models import SalesRep
from crm.db import db
from crm.errors import ValidationFailed
from crm.orders.models import Order
from softphone.phone.customer import say
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "sav-domelec"
SATISFIED = "Cette solution vous convient-elle ? Avez-vous d'autres questions ?"


def order_numbered(desk: Desk, number: str) -> Order:
    return db.session.scalar(
        sa.select(Order).where(Order.attempt_id == desk.attempt.id, Order.number == number)
    )


def first_slot(desk: Desk, key: str):
    """(technician, first free slot) of this technician's calendar."""
    calendar = next(c for c in rep_calendars(desk.ctx) if c.rep.key == key)
    return calendar.rep, calendar.slots[0].starts_at


def careful(desk: Desk) -> None:
    """The adviser who does things right."""
    desk.answer("appel-lave-linge-fuite")
    sandrine = desk.client("C30004")
    desk.verify(sandrine)
    view_client(desk.ctx, sandrine)
    desk.read_kb("diagnostic-lavage")
    say(desk.ctx, desk.call, "Depuis quand fuit-il, et à quel moment du programme ?")
    desk.read_kb("garantie-legale-conformite")
    machine = order_numbered(desk, "DS-2025-04418")
    [washer] = check_warranty(desk.ctx, machine)  # delivered 14 months ago: covered
    assert washer.covered(washer.until) and washer.extension_months == 0
    claim = open_claim(
        desk.ctx, sandrine, "defective", "Lave-linge 8 kg : fuite sous le hublot.", machine
    )
    technician, starts_at = first_slot(desk, "tech-vidal")
    book_appointment(
        desk.ctx, sandrine, technician, starts_at, "Fuite du lave-linge 8 kg chez Mme Chabrol"
    )
    say(desk.ctx, desk.call, f"Votre dossier porte le numéro {claim.number}. {SATISFIED}")
    desk.hang_up()
    desk.qualify("SAV-INTERVENTION", "Sous garantie légale ; Mathieu Vidal réservé.")

    email = desk.receive("email-four-abime")
    desk.take(email)
    karim = desk.client("C30007")
    view_client(desk.ctx, karim)
    oven = order_numbered(desk, "DS-2026-07731")
    read_tracking(desk.ctx, oven)
    desk.read_kb("livraison-avarie")
    claim = open_claim(desk.ctx, karim, "damaged", "Four livré porte enfoncée (réserve).", oven)
    desk.write_back(
        email,
        f"Bonjour Monsieur Benali, nous sommes désolés. Votre réclamation {claim.number} est "
        "ouverte : nous vous proposons l'échange du four, livré sous 5 jours ouvrés.",
    )
    desk.close(email, "RECLAMATION", "Avarie à la livraison, échange proposé.")

    desk.answer("appel-technicien-absent")
    paul = desk.client("C30011")
    desk.verify(paul)
    view_client(desk.ctx, paul)
    desk.read_kb("geste-commercial-delegation")
    fridge = order_numbered(desk, "DS-2025-05120")
    [cold] = check_warranty(desk.ctx, fridge)  # the Sérénité contract adds three years
    assert (cold.months, cold.extension_months) == (24, 36)
    say(desk.ctx, desk.call, "Je suis désolé, je comprends votre mécontentement.")
    grant_goodwill(
        desk.ctx, paul, Decimal("40.00"), "Rendez-vous de technicien manqué.", order=fridge
    )
    claim = open_claim(
        desk.ctx, paul, "service", "Technicien absent au rendez-vous d'hier 14 h.", fridge
    )
    technician, starts_at = first_slot(desk, "tech-barre")
    book_appointment(desk.ctx, paul, technician, starts_at, "Congélateur en panne chez M. Rouvière")
    say(desk.ctx, desk.call, f"Dossier {claim.number}, avoir de 40 euros. {SATISFIED}")
    desk.hang_up()
    desk.qualify("SAV-INTERVENTION", "Avoir de 40 € ; Inès Barre réservée.")

    chat = desk.receive("chat-hors-garantie")
    desk.take(chat)
    view_client(desk.ctx, desk.client("C30014"))
    desk.read_kb("diagnostic-lavage")
    desk.read_kb("reparation-hors-garantie")
    desk.write_back(
        chat,
        "Le code E24 signale un filtre bouché : nettoyez le filtre au fond de la cuve. Hors "
        "garantie, le déplacement et le diagnostic coûtent 59 €, déduits du devis.",
    )
    desk.close(chat, "SAV-CONSEIL", "Filtre à nettoyer ; forfait hors garantie expliqué.")

    desk.answer("appel-restaurant-urgence")
    bistrot = desk.client("P30900")
    desk.verify(bistrot)
    view_client(desk.ctx, bistrot)
    desk.read_kb("sav-professionnel")
    say(desk.ctx, desk.call, f"Je vous passe le SAV professionnel tout de suite. {SATISFIED}")
    desk.transfer("sav-pro")
    desk.qualify("TRANSFERT", "Lave-vaisselle pro en panne : SAV professionnel.")

    sms = desk.receive("sms-nouveau-numero")
    desk.take(sms)
    nadia = desk.client("C30015")
    view_client(desk.ctx, nadia)
    update_client(desk.ctx, nadia, {"phones": ["04 65 71 80 15", "06 39 98 81 99"]})
    desk.write_back(sms, "C'est noté : le technicien vous appellera au 06 39 98 81 99.")
    desk.close(sms, "MAJ-FICHIER", "Nouveau mobile ajouté.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """The adviser who rushes: no checks, no articles, numbers kept to themselves."""
    desk.answer("appel-lave-linge-fuite")
    sandrine = desk.client("C30004")
    technician = db.session.scalar(
        sa.select(SalesRep).where(
            SalesRep.attempt_id == desk.attempt.id, SalesRep.key == "tech-barre"
        )
    )
    machine = order_numbered(desk, "DS-2025-04418")
    open_claim(desk.ctx, sandrine, "defective", "Le lave-linge fuit.", machine)  # unchecked
    _rep, starts_at = first_slot(desk, "tech-barre")
    book_appointment(desk.ctx, sandrine, technician, starts_at, "Passage")
    say(desk.ctx, desk.call, "Le technicien passera. Au revoir.")
    desk.hang_up()
    desk.qualify("INFO", "Technicien.")

    email = desk.receive("email-four-abime")
    desk.take(email)
    karim = desk.client("C30007")
    open_claim(desk.ctx, karim, "damaged", "Four abîmé à la livraison.")
    desk.write_back(email, "Bonjour, nous regardons. Cordialement.")
    desk.close(email, "RECLAMATION", "Vu.")

    desk.answer("appel-technicien-absent")
    paul = desk.client("C30011")
    with pytest.raises(ValidationFailed):  # beyond the delegation: the service refuses
        grant_goodwill(desk.ctx, paul, Decimal("100.00"), "Il insiste.")
    say(desk.ctx, desk.call, "Je ne peux rien faire de plus. Au revoir.")
    desk.hang_up()
    desk.qualify("INFO", "Client mécontent.")

    chat = desk.receive("chat-hors-garantie")
    desk.take(chat)
    desk.write_back(chat, "Il faut faire venir un technicien, ce sera payant.")
    desk.close(chat, "INFO", "Répondu.")

    desk.answer("appel-restaurant-urgence")
    say(desk.ctx, desk.call, "Je vous passe quelqu'un.")
    desk.transfer("comptabilite")
    desk.qualify("TRANSFERT", "Transféré.")

    sms = desk.receive("sms-nouveau-numero")
    desk.take(sms)
    desk.write_back(sms, "Merci, c'est noté.")  # noted nowhere: the file keeps the old number
    desk.close(sms, "MAJ-FICHIER", "Numéro.")
    db.session.commit()


@pytest.fixture
def played(app, people):
    """(careful attempt, hasty attempt) of a running shift on the after-sales pack."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "identity_verified_first": (MET, NOT_MET),  # the leak and the restaurant unchecked
    "client_file_consulted": (MET, NOT_MET),  # claims and bookings on unread files
    "knowledge_base_consulted": (MET, NOT_MET),  # warranty, damage, out-of-warranty unread
    "claim_opened_and_acknowledged": (MET, NOT_MET),  # no claim number ever given
    "warranty_checked_before_repair_claim": (MET, NOT_MET),  # the leak's claim opened blind
    "appointment_complete": (MET, NOT_MET),  # « Passage », out of the customer's file
    "transfer_to_right_service": (MET, NOT_MET),  # the restaurant sent to accounting
    "contacts_qualified": (MET, NOT_MET),  # INFO where an intervention was expected
    "client_file_updated": (MET, NOT_MET),  # the new mobile never entered
    "satisfaction_checked": (MET, NOT_MET),  # calls ended without asking
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(played, rule_id):
    assert_rule_tells_apart(played, rule_id, EXPECTED[rule_id])


def test_the_careful_gesture_stays_within_the_delegation(played):
    """The careful adviser's credit note is the pack's most (40 €), and the log says so."""
    from tests.evaluation.conftest import last

    issued = last("credit_note.issued")
    assert issued.attempt_id == played[0].id
    assert Decimal(str(issued.payload["amount"])) == Decimal("40.00")
    assert Decimal(str(issued.payload["limit"])) == Decimal("40.00")
