"""Contract services: offers only within the pack's rules, answers, cancellation dates and the
written confirmation; each change recorded, each refusal leaving nothing behind."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock
from crm.contracts.services import (
    answer_offer,
    cancel_contract,
    confirm_cancellation,
    earliest_end,
    eligible_offers,
    make_offer,
)
from crm.errors import Conflict, ValidationFailed


def test_an_offer_within_the_rules_is_made_and_its_answer_recorded(ctx, world, log):
    offer = make_offer(ctx, world["box"], "remise-20")
    made = log.last("retention.offer_made")
    assert offer.status == "proposed" and made.object_id == offer.id
    assert made.payload | {"offer": "remise-20", "percent": 20, "months": 6} == made.payload
    assert made.payload["number"] == "CT-1"
    answer_offer(ctx, offer, accepted=True)
    assert offer.status == "accepted"
    assert log.last("retention.offer_answered").payload["accepted"] is True
    with pytest.raises(Conflict):
        answer_offer(ctx, offer, accepted=False)
    assert log.verbs() == ["retention.offer_made", "retention.offer_answered"]


@pytest.mark.parametrize(
    ("contract", "offer", "words"),
    [
        ("mobile", "remise-20", "réservée aux formules : Box Fibre"),
        ("new_box", "remise-20", "12 mois d'ancienneté ; ce contrat en a 3"),
        ("box", "remise-90", "Offre inconnue"),
    ],
)
def test_an_offer_outside_the_rules_is_refused_on_its_field(
    ctx, world, log, contract, offer, words
):
    with pytest.raises(ValidationFailed) as refused:
        make_offer(ctx, world[contract], offer)
    assert words in refused.value.fields["offer"]
    assert log.verbs() == []


def test_eligible_offers_follow_plan_and_seniority(ctx, world):
    keys = {c: [o["key"] for o in eligible_offers(ctx, world[c])] for c in ("box", "mobile")}
    assert keys == {"box": ["remise-20", "mois-offert"], "mobile": ["mois-offert"]}
    assert [o["key"] for o in eligible_offers(ctx, world["new_box"])] == ["mois-offert"]


def test_a_cancellation_takes_effect_after_the_notice_and_the_commitment(ctx, world, log):
    today = clock.today()
    assert earliest_end(ctx, world["box"]) == today + timedelta(days=10)
    assert earliest_end(ctx, world["new_box"]) == today + timedelta(days=200)
    with pytest.raises(ValidationFailed) as refused:
        cancel_contract(ctx, world["new_box"], today + timedelta(days=30), "Réseau absent.")
    end = today + timedelta(days=200)
    assert f"avant le {end:%d/%m/%Y}" in refused.value.fields["effective_on"]
    with pytest.raises(ValidationFailed) as empty:
        cancel_contract(ctx, world["box"], today + timedelta(days=10), "  ")
    assert set(empty.value.fields) == {"reason"}
    assert world["box"].status == "active" and log.verbs() == []

    cancel_contract(ctx, world["box"], today + timedelta(days=10), "Part à l'étranger.")
    cancelled = log.last("contract.cancelled")
    assert cancelled.payload["effective_on"] == (today + timedelta(days=10)).isoformat()
    assert world["box"].status == "cancelled"
    with pytest.raises(Conflict):
        make_offer(ctx, world["box"], "mois-offert")
    with pytest.raises(Conflict):
        cancel_contract(ctx, world["box"], today + timedelta(days=20), "Encore.")


def test_the_confirmation_follows_the_cancellation_once(ctx, world, log):
    with pytest.raises(Conflict) as early:
        confirm_cancellation(ctx, world["mobile"], "email")
    assert early.value.code == "contract_active"
    cancel_contract(ctx, world["mobile"], earliest_end(ctx, world["mobile"]), "Déménagement.")
    with pytest.raises(ValidationFailed) as channel:
        confirm_cancellation(ctx, world["mobile"], "pigeon")
    assert set(channel.value.fields) == {"channel"}
    confirm_cancellation(ctx, world["mobile"], "letter")
    assert log.last("contract.cancellation_confirmed").payload["channel"] == "letter"
    assert world["mobile"].cancellation_confirmed_at is not None
    with pytest.raises(Conflict):
        confirm_cancellation(ctx, world["mobile"], "email")
    assert log.verbs() == ["contract.cancelled", "contract.cancellation_confirmed"]


def test_a_pack_without_retention_rules_offers_nothing(ctx, world, attempt):
    attempt.settings = {k: v for k, v in attempt.settings.items() if k != "retention"}
    assert eligible_offers(ctx, world["box"]) == []
    with pytest.raises(ValidationFailed):
        make_offer(ctx, world["box"], "mois-offert")
