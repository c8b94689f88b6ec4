"""Claim services: open (category, description, the client's own order), change status."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm import clock
from crm.claims.models import Claim
from crm.claims.services import change_claim_status, open_claim
from crm.db import db
from crm.errors import InvalidTransition, ValidationFailed

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world


def test_open_a_claim_about_an_order(ctx, world, log):
    claim = open_claim(
        ctx, world["buyer"], "damaged", "  Carton écrasé à la livraison. ", world["orders"]["buyer"]
    )
    assert claim.number == f"REC-{clock.today().year}-0001"
    assert (claim.status, claim.description) == ("open", "Carton écrasé à la livraison.")
    (action,) = log.new()
    assert action.verb == "claim.opened"
    assert action.payload["order_number"] == "CMD-T-buyer"
    assert action.payload["category"] == "damaged"


def test_numbers_follow_each_other_in_the_attempt(ctx, world):
    first = open_claim(ctx, world["buyer"], "billing", "Facture en double.")
    second = open_claim(ctx, world["other"], "service", "Conseiller désagréable.")
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


@pytest.mark.parametrize(
    ("category", "description", "order_key", "field"),
    [
        ("unknown", "Une description assez longue.", None, "category"),
        ("damaged", "Cassé (9)", None, "description"),
        ("damaged", "x" * 4001, None, "description"),
        ("damaged", "Une description assez longue.", "other", "order_id"),
    ],
)
def test_open_refusals_leave_nothing(ctx, world, log, category, description, order_key, field):
    order = world["orders"][order_key] if order_key else None
    with pytest.raises(ValidationFailed) as refused:
        open_claim(ctx, world["buyer"], category, description, order)
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Claim.id))) == 0
    assert log.verbs() == []


def test_status_changes_record_old_and_new(ctx, world, log):
    claim = open_claim(ctx, world["buyer"], "defective", "L'agrafeuse ne fonctionne pas.")
    log.mark()
    change_claim_status(ctx, claim, "start")
    change_claim_status(ctx, claim, "resolve", "Échange standard expédié.")
    assert (claim.status, claim.resolution) == ("resolved", "Échange standard expédié.")
    first, second = log.new()
    assert (first.verb, first.payload["old"], first.payload["new"]) == (
        "claim.status_changed",
        "open",
        "in_progress",
    )
    assert second.payload == {
        "number": claim.number,
        "event": "resolve",
        "old": "in_progress",
        "new": "resolved",
        "resolution": "Échange standard expédié.",
    }


def test_a_refused_transition_changes_and_records_nothing(ctx, world, log):
    claim = open_claim(ctx, world["buyer"], "defective", "L'agrafeuse ne fonctionne pas.")
    log.mark()
    with pytest.raises(InvalidTransition):
        change_claim_status(ctx, claim, "close")
    assert claim.status == "open" and log.verbs() == []
