"""Acceptance of the outbound B2B prospecting pack (*Caféo Pro*): a careful and a hasty
prospector, judged.

Both work the pack's call plan through the real services (dial, the scripted answerers, the
reps' diaries, callbacks, qualification). The careful one opens each call with their name, the
company and the purpose, asks the gatekeeper for the decision maker by name, discovers the need
before proposing, books the appointment with the rep of the prospect's sector and a precise
topic naming the interlocutor, schedules the callback the switchboard asks for, does not dial
the number on the do-not-call list nor the one refused twenty days ago (the rules warn, they
stop), answers the director who writes for prices from the knowledge base, and qualifies each
contact with its right code. The hasty one opens with « c'est pour le café », books vague
appointments (one with the wrong sector's rep), dials the opposed number anyway, ignores the
switchboard's callback request and qualifies it with the wrong code, and answers the director
who asks for prices without reading the offer's article.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from crm import clock
from crm.config import ROOT
from crm.contacts.agenda import PARIS
from crm.db import db
from crm.yaml_text import load_yaml
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "prospection-cafeo-pro"
LACOSTE, MERCIER, CASTAING, DARRIEUX, VIDAL = (
    "05 36 49 20 01",
    "05 36 49 20 02",
    "05 36 49 20 03",
    "05 36 49 20 04",
    "05 36 49 20 06",
)
DUBOS, BRUNET = "05 36 49 20 07", "05 36 49 20 09"
PRICES = (
    "Bonjour Monsieur Labat, pour votre dépôt de 15 personnes, la machine Bistrot à 49 € HT par "
    "mois ; pour vos bureaux de 20 personnes, la Barista Pro à 119 € HT par mois. Entretien, "
    "dépannage sous 48 h et approvisionnement sont compris. Notre commercial peut vous faire "
    "déguster sur place."
)


def opening(desk: Desk) -> str:
    """The charter's opening with the candidate's own name."""
    name = desk.attempt.candidate.display_name
    return f"Bonjour, {name} de Caféo Pro. Je vous appelle au sujet de la pause café de l'équipe."


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    """Tomorrow at this Paris time."""
    day = clock.now().astimezone(PARIS).date() + timedelta(days=1)
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def careful(desk: Desk) -> None:
    """The prospector who follows the charter and the calling rules."""
    desk.dial(LACOSTE)
    desk.say(opening(desk))
    assert "à quel sujet" in " ".join(desk.say("Pourriez-vous me passer Monsieur Lacoste ?"))
    passed = desk.say("C'est au sujet des machines à café pour vos collaborateurs.")
    assert "je vous le passe" in " ".join(passed)
    heard = desk.say("Combien de personnes êtes-vous, et comment êtes-vous équipés aujourd'hui ?")
    assert "dix-huit" in " ".join(heard)
    lacoste = desk.client("P40001")
    desk.book(lacoste, "rep-darriet", "Dégustation et étude pour 18 personnes avec M. Lacoste")
    desk.hang_up()
    desk.qualify("RDV", "18 personnes, machine à dosettes en panne : RDV dégustation.")

    desk.dial(MERCIER)
    desk.say(opening(desk))
    heard = desk.say("Pourrais-je parler au docteur Mercier, qui décide des achats ?")
    assert "rappelez-nous demain" in " ".join(heard).lower()
    reason = "Dr Mercier au bloc : rappeler entre 13 h et 14 h (accueil)."
    desk.callback(desk.client("P40002"), tomorrow_at(13, 15), reason)
    desk.hang_up()
    desk.qualify("BARRAGE", "Accueil : Dr Mercier joignable demain 13 h - 14 h.")

    # The do-not-call list and the refusal twenty days ago: the rules warn, the prospector stops.
    assert desk.dial(DARRIEUX) is None
    assert desk.dial(DUBOS) is None

    desk.dial(CASTAING)
    desk.say(opening(desk))
    desk.say("Combien de salariés êtes-vous, et qu'utilisez-vous aujourd'hui ?")
    castaing = desk.client("P40003")
    desk.book(castaing, "rep-darriet", "Étude distributeur pour deux équipes avec M. Castaing")
    desk.hang_up()
    desk.qualify("RDV", "35 personnes en 2 équipes, distributeur à pièces vétuste.")

    desk.dial(VIDAL)
    desk.say(opening(desk))
    desk.say("Combien de personnes êtes-vous, et quel est votre besoin ?")
    vidal = desk.client("P40006")
    desk.book(vidal, "rep-bousquet", "Dégustation et aménagement des locaux avec Mme Vidal")
    desk.hang_up()
    desk.qualify("RDV", "22 personnes, déménagement le mois prochain.")

    desk.dial(BRUNET)
    assert "pas le moment" in " ".join(desk.say(opening(desk)))
    desk.hang_up()
    desk.qualify("REFUS", "Contrat de trois ans signé avec un torréfacteur.")

    desk.answer("appel-retour-coworking")
    fontaine = desk.client("P40012")
    desk.book(fontaine, "rep-darriet", "Étude pour 120 postes de coworking avec Mme Fontaine")
    desk.hang_up()
    desk.qualify("RDV", "120 postes, capsules saturées : RDV avec M. Darriet.")

    email = desk.receive("email-tarifs-labat")
    desk.take(email)
    desk.read_kb("offre-entreprises")
    desk.write_back(email, PRICES)
    desk.close(email, "INFO", "Tarifs Bistrot et Barista Pro envoyés à M. Labat.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """The prospector who rushes: no opening, no discovery, rules and sectors ignored."""
    desk.dial(LACOSTE)
    desk.say("Bonjour, c'est pour le café.")
    desk.say("Je veux parler au responsable.")
    desk.say("Des machines à café.")
    desk.book(desk.client("P40001"), "rep-darriet", "RDV")
    desk.hang_up()
    desk.qualify("RDV", "RDV.")

    assert desk.dial(DARRIEUX) is None
    assert desk.dial(DARRIEUX, acknowledge=True) is not None
    desk.hang_up()
    desk.qualify("NON-REPONSE", "Raccroché.")

    desk.dial(MERCIER)
    desk.say("Bonjour, c'est pour le café.")
    desk.say("Je veux parler au responsable.")
    desk.hang_up()
    desk.qualify("BARRAGE-ECRIT", "Barrage.")

    desk.dial(VIDAL)
    desk.say("Bonjour, c'est pour le café.")
    desk.book(desk.client("P40006"), "rep-darriet", "Machine à café pour Mme Vidal")
    desk.hang_up()
    desk.qualify("RDV", "RDV.")

    desk.answer("appel-retour-coworking")
    desk.book(desk.client("P40012"), "rep-darriet", "RDV café")
    desk.hang_up()
    desk.qualify("RDV", "RDV.")

    email = desk.receive("email-tarifs-labat")
    desk.take(email)
    desk.write_back(email, "Bonjour, nos prix sont très compétitifs, appelez-nous.")
    desk.close(email, "INFO", "Répondu.")
    db.session.commit()


@pytest.fixture
def prospection(app, people):
    """(careful attempt, hasty attempt) of a running shift on the prospecting pack, both played."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "calling_rules_respected": (MET, NOT_MET),  # the opposed number dialled anyway
    "outbound_opening_stated": (MET, NOT_MET),  # « c'est pour le café »: no name, no company
    "appointment_complete": (MET, NOT_MET),  # « RDV » as a topic; Toulouse given to Bordeaux
    "callback_booked_when_asked": (MET, NOT_MET),  # the switchboard's « rappelez-nous » ignored
    "contacts_qualified": (MET, NOT_MET),  # BARRAGE-ECRIT where the pack expects BARRAGE
    "knowledge_base_consulted": (MET, NOT_MET),  # the prices answered without the offer's article
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(prospection, rule_id):
    assert_rule_tells_apart(prospection, rule_id, EXPECTED[rule_id])


def test_the_pack_validates_and_its_card_names_the_prospecting_criteria(app):
    path = ROOT / "seed_data" / "scenarios" / f"{PACK}.yaml"
    result = app.test_cli_runner().invoke(args=["scenario", "validate", str(path)])
    assert result.exit_code == 0 and result.output.strip().endswith(": ok"), result.output
    card = load_yaml(path.read_text(encoding="utf-8"))["card"]
    exercised = {c for e in card["exercises"] for c in e["criteria"]}
    assert {"CP5-C1", "CP5-C4", "CP5-C5", "C2-C2"} <= exercised
