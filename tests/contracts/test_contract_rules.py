"""The retention rules on cand1's attempt: an offer before each cancellation, each cancellation
confirmed in writing; nothing to judge when no contract was touched."""

from __future__ import annotations

from crm.contracts.services import (
    answer_offer,
    cancel_contract,
    confirm_cancellation,
    earliest_end,
    make_offer,
)
from crm.db import db
from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence


def judge(attempt, rule_id):
    db.session.commit()
    return RULES[rule_id].evaluate(AttemptEvidence(attempt))


def _cancel(ctx, contract):
    cancel_contract(ctx, contract, earliest_end(ctx, contract), "Départ.")


def test_nothing_to_judge_without_offers_or_cancellations(attempt, world):
    assert judge(attempt, "retention_offer_before_cancel").status == "not_observed"
    assert judge(attempt, "cancellation_confirmed").status == "not_observed"


def test_an_offer_that_keeps_the_customer_is_met(ctx, attempt, world):
    answer_offer(ctx, make_offer(ctx, world["box"], "remise-20"), accepted=True)
    result = judge(attempt, "retention_offer_before_cancel")
    assert result.status == "met" and result.figures["retained"] == 1


def test_a_cancellation_needs_an_offer_on_that_contract_first(ctx, attempt, world):
    make_offer(ctx, world["box"], "mois-offert")  # on another contract: it does not count
    _cancel(ctx, world["mobile"])
    result = judge(attempt, "retention_offer_before_cancel")
    assert result.status == "not_met" and "CT-2" in result.explanation
    answer_offer(ctx, make_offer(ctx, world["new_box"], "mois-offert"), accepted=False)
    _cancel(ctx, world["new_box"])
    result = judge(attempt, "retention_offer_before_cancel")
    assert result.status == "not_met" and result.figures["without_offer"] == 1


def test_each_cancellation_is_confirmed_in_writing(ctx, attempt, world):
    for key in ("box", "mobile"):
        make_offer(ctx, world[key], "mois-offert")
        _cancel(ctx, world[key])
    confirm_cancellation(ctx, world["box"], "email")
    result = judge(attempt, "cancellation_confirmed")
    assert result.status == "not_met" and "CT-2" in result.explanation
    assert "CT-1" not in result.explanation.split(":")[1].split(".")[0]
    confirm_cancellation(ctx, world["mobile"], "letter")
    assert judge(attempt, "cancellation_confirmed").status == "met"
    assert judge(attempt, "retention_offer_before_cancel").status == "met"
