"""Contracts API: list with eligible offers, offer, answer, cancel, confirm; 403, 404, 409, 422."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock


@pytest.fixture
def cand(api, world):
    """cand1's API client."""
    return api.as_("candidat1")


def test_a_retention_call_through_the_api(cand, world, log):
    listed = cand.get(f"/clients/{world['loyal'].id}/contracts").get_json()["items"]
    box = next(c for c in listed if c["number"] == "CT-1")
    assert box["status"] == "active" and box["monthly_price"] == "34.99"
    assert [o["key"] for o in box["eligible_offers"]] == ["remise-20", "mois-offert"]
    assert box["earliest_end"] == (clock.today() + timedelta(days=10)).isoformat()

    made = cand.post(f"/contracts/{box['id']}/offers", {"offer": "remise-20"})
    assert made.status_code == 201 and made.get_json()["status"] == "proposed"
    offer_id = made.get_json()["id"]
    answered = cand.post(f"/retention-offers/{offer_id}/answer", {"accepted": False})
    assert answered.get_json()["status"] == "refused"
    again = cand.post(f"/retention-offers/{offer_id}/answer", {"accepted": True})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "offer_answered"

    early = cand.post(f"/contracts/{box['id']}/cancellation/confirmation", {"channel": "email"})
    assert early.status_code == 409
    cancelled = cand.post(
        f"/contracts/{box['id']}/cancellation",
        {"effective_on": box["earliest_end"], "reason": "Concurrent moins cher."},
    )
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    confirmed = cand.post(f"/contracts/{box['id']}/cancellation/confirmation", {"channel": "email"})
    assert confirmed.get_json()["cancellation_confirmed_at"] is not None
    assert log.verbs() == [
        "retention.offer_made",
        "retention.offer_answered",
        "contract.cancelled",
        "contract.cancellation_confirmed",
    ]


def test_refusals_name_their_field_and_keep_nothing(cand, world, log):
    mobile = world["mobile"].id
    outside = cand.post(f"/contracts/{mobile}/offers", {"offer": "remise-20"})
    assert outside.status_code == 422
    assert "Box Fibre" in outside.get_json()["error"]["fields"]["offer"]
    too_soon = cand.post(
        f"/contracts/{world['new_box'].id}/cancellation",
        {"effective_on": clock.today().isoformat(), "reason": "Réseau absent."},
    )
    assert too_soon.status_code == 422
    assert "effective_on" in too_soon.get_json()["error"]["fields"]
    not_a_date = cand.post(
        f"/contracts/{mobile}/cancellation", {"effective_on": "demain", "reason": "Départ."}
    )
    assert not_a_date.status_code == 422
    assert log.verbs() == []


def test_other_attempts_contracts_and_other_roles_are_refused(cand, api, world, log):
    foreign = world["foreign"].id
    assert cand.post(f"/contracts/{foreign}/offers", {"offer": "mois-offert"}).status_code == 404
    trainer = api.as_("formateur")
    refused = trainer.get(f"/clients/{world['loyal'].id}/contracts")
    assert refused.status_code == 403
    assert log.verbs() == []
