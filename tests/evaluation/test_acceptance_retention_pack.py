"""Acceptance of the loyalty and retention pack (*Mistral Mobile*): a careful and a hasty
adviser, judged.

Both take the pack's three calls and one e-mail of subscribers who want to leave, through the
real services. The careful adviser verifies each caller's identity, makes the offer the rules
allow (20 % for six months to the fibre box of a subscriber of 30 months; one free month to the
committed newcomer and to the two who leave anyway), records the answers, registers the
cancellations at the first date allowed and confirms them in writing (by letter for the
subscriber who asked for one), and qualifies each contact with its right code. The hasty one
skips the checks, cancels without any offer, never confirms in writing, and qualifies the
customer who would have stayed as a cancellation.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.config import ROOT
from crm.contracts.models import Contract
from crm.contracts.services import (
    answer_offer,
    cancel_contract,
    confirm_cancellation,
    earliest_end,
    make_offer,
)
from crm.db import db
from tests.evaluation.conftest import Desk, assert_rule_tells_apart, play_pack

PACK = "fidelisation-mistral-mobile"
OFFER = (
    "Bonjour Madame Roux, nous pouvons vous offrir un mois d'abonnement si vous souhaitez garder "
    "votre box. Sinon, nous enregistrons la résiliation et vous envoyons la confirmation par "
    "courrier."
)
CONFIRMED = (
    "Madame Roux, la résiliation de votre box est enregistrée ; la confirmation part par "
    "courrier. Vous pourrez rendre la box sous 30 jours en point relais."
)


def contract(desk: Desk, number: str) -> Contract:
    """The attempt's contract with this number."""
    return db.session.scalar(
        sa.select(Contract).where(Contract.attempt_id == desk.attempt.id, Contract.number == number)
    )


def careful(desk: Desk) -> None:
    """The adviser who follows the procedure."""
    desk.answer("appel-resiliation-box")
    desk.verify(desk.client("M50001"))
    box = contract(desk, "CT-880101")
    answer_offer(desk.ctx, make_offer(desk.ctx, box, "remise-20-6-mois"), accepted=True)
    desk.hang_up()
    desk.qualify("FIDELISE", "Concurrent moins cher et coupures : 20 % pendant 6 mois accepté.")

    desk.answer("appel-resiliation-demenagement")
    desk.verify(desk.client("M50002"))
    mobile = contract(desk, "CT-880201")
    answer_offer(desk.ctx, make_offer(desk.ctx, mobile, "mois-offert"), accepted=False)
    cancel_contract(desk.ctx, mobile, earliest_end(desk.ctx, mobile), "Départ à Montréal.")
    confirm_cancellation(desk.ctx, mobile, "email")
    desk.hang_up()
    desk.qualify("RESILIATION", "Départ au Canada : résiliation confirmée par e-mail.")

    desk.answer("appel-resiliation-engagement")
    desk.verify(desk.client("M50003"))
    committed = contract(desk, "CT-880301")
    answer_offer(desk.ctx, make_offer(desk.ctx, committed, "mois-offert"), accepted=True)
    desk.hang_up()
    desk.qualify("FIDELISE", "Engagée jusqu'à l'été : un mois offert, appels Wi-Fi expliqués.")

    email = desk.receive("email-resiliation-ehpad")
    desk.take(email)
    box = contract(desk, "CT-881101")
    offer = make_offer(desk.ctx, box, "mois-offert")
    desk.write_back(email, OFFER)
    answer_offer(desk.ctx, offer, accepted=False)  # her answer: « résiliez-la »
    cancel_contract(desk.ctx, box, earliest_end(desk.ctx, box), "Entrée en résidence.")
    confirm_cancellation(desk.ctx, box, "letter")
    desk.write_back(email, CONFIRMED)
    desk.close(email, "RESILIATION", "Résiliation confirmée par courrier, retour de la box.")
    db.session.commit()


def hasty(desk: Desk) -> None:
    """The adviser who does what is asked and nothing more."""
    desk.answer("appel-resiliation-box")
    box = contract(desk, "CT-880101")
    cancel_contract(desk.ctx, box, earliest_end(desk.ctx, box), "Concurrent.")
    desk.hang_up()
    desk.qualify("RESILIATION", "Résilié.")

    desk.answer("appel-resiliation-demenagement")
    mobile = contract(desk, "CT-880201")
    cancel_contract(desk.ctx, mobile, earliest_end(desk.ctx, mobile), "Déménagement.")
    desk.hang_up()
    desk.qualify("RESILIATION", "Résilié.")

    desk.answer("appel-resiliation-engagement")
    desk.hang_up()
    desk.qualify("RESILIATION", "Veut résilier, engagée.")

    email = desk.receive("email-resiliation-ehpad")
    desk.take(email)
    box = contract(desk, "CT-881101")
    cancel_contract(desk.ctx, box, earliest_end(desk.ctx, box), "Demande écrite.")
    desk.write_back(email, "Bonjour, c'est fait. Cordialement.")
    desk.close(email, "RESILIATION", "Fait.")
    db.session.commit()


@pytest.fixture
def retention(app, people):
    """(careful attempt, hasty attempt) of a running shift on the retention pack, both played."""
    return play_pack(PACK, people, careful, hasty)


MET, NOT_MET = "met", "not_met"

#: rule → (careful, hasty): what each attempt deserves, and why the hasty one fails it.
EXPECTED = {
    "retention_offer_before_cancel": (MET, NOT_MET),  # the box cancelled without an offer
    "cancellation_confirmed": (MET, NOT_MET),  # no written confirmation of any cancellation
    "identity_verified_first": (MET, NOT_MET),  # contracts handled without a check
    "contacts_qualified": (MET, NOT_MET),  # RESILIATION where the pack expects FIDELISE
}


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_each_rule_tells_the_careful_attempt_from_the_hasty_one(retention, rule_id):
    assert_rule_tells_apart(retention, rule_id, EXPECTED[rule_id])


def test_the_careful_run_keeps_two_contracts_and_ends_one_at_the_first_date_allowed(retention):
    careful_attempt, hasty_attempt = retention
    statuses = dict(
        db.session.execute(
            sa.select(Contract.number, Contract.status).where(
                Contract.attempt_id == careful_attempt.id
            )
        ).all()
    )
    assert statuses["CT-880101"] == "active" and statuses["CT-880301"] == "active"
    assert statuses["CT-880201"] == "cancelled"
    gone = db.session.scalar(
        sa.select(Contract).where(
            Contract.attempt_id == careful_attempt.id, Contract.number == "CT-880201"
        )
    )
    assert gone.cancellation_confirmed_at is not None
    assert (gone.cancellation_effective_on - careful_attempt.world_date).days == 10


def test_the_pack_validates_and_its_card_names_the_retention_criteria(app):
    path = ROOT / "seed_data" / "scenarios" / f"{PACK}.yaml"
    result = app.test_cli_runner().invoke(args=["scenario", "validate", str(path)])
    assert result.exit_code == 0 and result.output.strip().endswith(": ok"), result.output
