"""Acceptance (issue 4, first "Done when"): two scripted attempts on the default scenario.

Both candidates take the same three timeline calls through the real services:

1. ``appel-commande-rupture`` — ProForm Rhône (C10013) orders ten cartons of PAP-A4-90-5, which
   is out of stock (the scenario expects substitute PAP-A4-80-5 and an additional sale);
2. ``appel-sav-transfert`` — a broken headset for the Belvédère (C10009): the technical service
   is the right answer (the scenario expects a transfer: not a first-contact resolution);
3. ``appel-info-retractation`` — Mme Garnier (C20001) asks about her right of withdrawal.

The careful candidate verifies identities, offers the expected substitute and an additional
sale, reads the recap, takes the payment, confirms in writing and qualifies every contact. The
hasty one skips the additional sale, reads no recap, ignores the stock-out (enters another
product without offering it as a substitute) and leaves the last contact unqualified.

Then `evaluate()` for the REAC and the MC: every automatic criterion gets the verdict it
deserves, with its proof (evidence ids of the attempt) when met or not met.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.standards import get_standard
from crm.evaluation.verdicts import evaluate

REAC, MC = "tp-crcd-reac-2011", "mc-acvad-referentiel-certification"
DUPLICATE = "Bonjour, vous trouverez ci-joint le duplicata de la facture demandée. Cordialement."


def careful(desk) -> None:
    """The candidate who does things right."""
    desk.answer("appel-commande-rupture")
    client = desk.client("C10013")
    desk.verify(client)
    order = desk.order(client)
    assert desk.add(order, "PAP-A4-90-5", 10).shortage is not None
    desk.substitute(order, "PAP-A4-80-5", "PAP-A4-90-5", accepted=True, quantity=10)
    desk.additional(order, "CLA-CHEM-ASS-100", accepted=True, quantity=1)
    desk.recap(order)
    assert desk.confirm(order).refusal is None
    desk.pay_by_card(order)
    desk.confirm_in_writing(order)
    desk.hang_up()
    desk.qualify("VENTE", "Commande papier : 80 g en substitution du 90 g, chemises en plus.")

    desk.answer("appel-sav-transfert")
    desk.verify(desk.client("C10009"))
    desk.transfer("service-technique")
    desk.qualify("TRANSFERT", "Micro-casque USB en panne : transféré au service technique.")

    email = desk.receive("email-duplicata-facture")
    desk.take(email)
    desk.read_kb("factures-duplicata")
    desk.write_back(email, DUPLICATE)
    desk.close(email, "INFO", "Duplicata de la facture envoyé par e-mail.")

    desk.answer("appel-info-retractation")
    desk.read_kb("droit-retractation")
    desk.hang_up()
    desk.qualify("INFO", "Délai de rétractation de 14 jours et formulaire de retour expliqués.")
    db.session.commit()


def hasty(desk) -> None:
    """The candidate who skips the additional sale, the recap, the substitute, a qualification."""
    desk.answer("appel-commande-rupture")
    client = desk.client("C10013")
    desk.verify(client)
    order = desk.order(client)
    assert desk.add(order, "PAP-A4-90-5", 10).shortage is not None
    desk.add(order, "PAP-A4-80-5", 10)  # no substitute offered: just another product entered
    assert desk.confirm(order).refusal is None  # no recap read, no additional sale offered
    desk.pay_by_card(order)
    desk.confirm_in_writing(order)
    desk.hang_up()
    desk.qualify("VENTE", "Commande papier.")

    desk.answer("appel-sav-transfert")
    desk.verify(desk.client("C10009"))
    desk.transfer("service-technique")
    desk.qualify("TRANSFERT", "Transféré.")

    email = desk.receive("email-duplicata-facture")
    desk.take(email)
    desk.read_kb("factures-duplicata")
    desk.write_back(email, DUPLICATE)
    desk.close(email, "INFO", "Duplicata de la facture envoyé par e-mail.")

    desk.answer("appel-info-retractation")
    desk.read_kb("droit-retractation")
    desk.hang_up()  # … and never qualified
    db.session.commit()


@pytest.fixture
def attempts(attempt, other_attempt, people, make_desk):
    """(careful attempt, hasty attempt), both played to the end of the script."""
    careful(make_desk(attempt, people["cand1"]))
    hasty(make_desk(other_attempt, people["cand2"]))
    return attempt, other_attempt


def verdicts(attempt, standard_id) -> dict:
    """criterion id → CriterionVerdict, for the automatic criteria of a standard."""
    evaluation = evaluate(attempt, get_standard(standard_id))
    return {v.criterion.id: v for v in evaluation.criteria if v.criterion.mode == "automatic"}


def the_action(attempt, verb: str) -> Action:
    """The one action of this verb in the attempt (the script does each once)."""
    found = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == verb)
    ).all()
    assert len(found) == 1, (verb, found)
    return found[0]


MET, NOT_MET, NOT_OBSERVED = "met", "not_met", "not_observed"

#: The verdict each attempt deserves on every automatic criterion, and why.
EXPECTED = {
    REAC: {
        # criterion: (careful, hasty)
        "CP1-C4": (MET, NOT_MET),  # hasty: the last call's wrap-up never ends (unqualified)
        "CP2-C1": (MET, MET),  # hasty: 2 requests of 3 settled at once, still a majority
        "CP2-C4": (MET, MET),  # the headset call left to the technical service
        "CP3-C4": (MET, MET),  # the email answered within its deadline
        "CP3-C6": (MET, NOT_MET),  # nothing for the client file; hasty: a contact unqualified
        "CP5-C5": (MET, NOT_MET),  # hasty: the last contact left unqualified
        "CP6-C5": (MET, MET),  # card payment on the order, per procedure
        "CP7-C2": (MET, NOT_MET),  # hasty: stock-out ignored, no substitute offered
        "CP7-C3": (MET, NOT_MET),  # hasty: the 80 g entered as a plain line, not a substitute
        "CP7-C4": (MET, NOT_MET),  # hasty: no additional sale offered
        "CP7-C5": (MET, NOT_MET),  # careful: the folders accepted; hasty: none offered
        "CP7-C6": (MET, MET),
        "CP8-C4": (NOT_OBSERVED, NOT_OBSERVED),  # no collection call played
    },
    MC: {
        "1.1-C3": (MET, MET),  # identity verified before the order and the transfer
        "1.2-C5": (MET, MET),  # the headset call transferred to the technical service
        "1.6-C7": (MET, MET),  # payment per procedure, written confirmation (no appointment)
        "1.8-C4": (NOT_OBSERVED, NOT_OBSERVED),  # no promise or payment plan
        # Both still logged on to the phone while the shift runs: the log-off is due at the end.
        "2.1-C3": (NOT_OBSERVED, NOT_OBSERVED),
        "2.2-C2": (MET, MET),  # knowledge base read before both information answers
        "2.2-C3": (MET, NOT_MET),  # right transfer, no hold; hasty: a wrap-up never ends
        "2.3-C3": (MET, NOT_MET),  # hasty: a contact left unqualified
    },
}


@pytest.mark.parametrize("standard_id", [REAC, MC])
def test_every_automatic_criterion_gets_the_verdict_each_attempt_deserves(attempts, standard_id):
    expected = EXPECTED[standard_id]
    for index, attempt in enumerate(attempts):
        found = verdicts(attempt, standard_id)
        assert set(found) == set(expected), "an automatic criterion is not covered here"
        logged = set(
            db.session.scalars(sa.select(Action.id).where(Action.attempt_id == attempt.id))
        )
        for criterion_id, verdict in found.items():
            wanted = expected[criterion_id][index]
            where = f"{('careful', 'hasty')[index]} {standard_id} {criterion_id}"
            assert verdict.status == wanted, (where, verdict.explanation)
            assert verdict.explanation, where
            if wanted in (MET, NOT_MET):
                assert verdict.evidence, where
                assert set(verdict.evidence) <= logged, where  # proof from this attempt only


def test_the_hasty_attempts_faults_are_proved_by_the_actions_that_show_them(attempts):
    careful_attempt, hasty_attempt = attempts
    reac = verdicts(hasty_attempt, REAC)
    confirmed = the_action(hasty_attempt, "order.confirmed")
    number = confirmed.payload["number"]
    assert reac["CP7-C4"].evidence == (confirmed.id,)
    assert f"Commande {number} confirmée sans proposition de vente additionnelle" in (
        reac["CP7-C4"].explanation
    )
    stock_out = the_action(hasty_attempt, "order.out_of_stock")
    assert reac["CP7-C2"].evidence == (stock_out.id,)
    assert "PAP-A4-90-5" in reac["CP7-C2"].explanation
    unqualified = [
        c.opened for c in AttemptEvidence(hasty_attempt).contacts.values() if c.qualified is None
    ]
    assert len(unqualified) == 1
    assert reac["CP5-C5"].not_met_ids == (unqualified[0].id,)
    # … and the contacts that were qualified, the other side of the verdict.
    qualified = AttemptEvidence(hasty_attempt).contacts.values()
    assert set(reac["CP5-C5"].met_ids) == {c.qualified.id for c in qualified if c.qualified}
    # The recap is in no standard's automatic criteria: its rule still tells the two apart.
    recap = RULES["recap_before_confirmation"]
    hasty_recap = recap.evaluate(AttemptEvidence(hasty_attempt))
    assert (hasty_recap.status, hasty_recap.evidence) == (NOT_MET, (confirmed.id,))
    assert number in hasty_recap.explanation
    careful_recap = recap.evaluate(AttemptEvidence(careful_attempt))
    assert careful_recap.status == MET
    assert careful_recap.evidence == tuple(
        sorted(
            (
                the_action(careful_attempt, "order.recap_read").id,
                the_action(careful_attempt, "order.confirmed").id,
            )
        )
    )


def test_the_careful_attempt_sold_the_expected_substitute_and_the_additional_sale(attempts):
    careful_attempt, _hasty = attempts
    reac = verdicts(careful_attempt, REAC)
    offers = db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == careful_attempt.id, Action.verb == "offer.made")
        .order_by(Action.seq)
    ).all()
    substitute, additional = offers
    assert substitute.payload["sku"] == "PAP-A4-80-5" and substitute.payload["accepted"]
    assert reac["CP7-C2"].evidence == (substitute.id,)
    assert reac["CP7-C4"].evidence == (additional.id,)
    upsell = reac["CP7-C4"].results[0]
    assert upsell.figures == {"orders": 1, "offers": 1, "accepted": 1}
