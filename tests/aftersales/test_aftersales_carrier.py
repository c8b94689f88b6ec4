"""The trainer as warehouse and carrier: an order shipped, its parcel's steps, the order
delivered (its withdrawal period starts); refusals and roles."""

from __future__ import annotations

import pytest

from crm import clock
from crm.actionlog.services import Ctx
from crm.aftersales.carrier import report_event, ship_order
from crm.db import db
from crm.errors import Conflict, InvalidTransition, ValidationFailed

pytestmark = pytest.mark.empty_world


@pytest.fixture
def trainer_ctx(attempt, people):
    return Ctx(attempt, people["trainer"].id, "trainer")


def test_ship_then_deliver_a_paid_order(trainer_ctx, world, log):
    parcel = ship_order(trainer_ctx, world.paid, "Colissimo")
    assert world.paid.status == "shipped" and parcel.status == "preparing"
    for kind in ("picked_up", "in_transit", "out_for_delivery", "delivered"):
        report_event(trainer_ctx, parcel, kind, place="Lyon")
    db.session.commit()
    assert parcel.status == "delivered" and world.paid.status == "delivered"
    assert world.paid.delivered_on == clock.today()
    actions = log.new()
    assert [a.verb for a in actions] == ["delivery.shipped"] + ["delivery.event_reported"] * 4
    assert {a.actor_role for a in actions} == {"trainer"}
    assert actions[-1].payload["order_status"] == {"old": "shipped", "new": "delivered"}


def test_an_incident_needs_its_nature_and_steps_follow_the_machine(trainer_ctx, world, log):
    parcel = ship_order(trainer_ctx, world.confirmed, "Colissimo")
    db.session.commit()
    log.new()
    with pytest.raises(ValidationFailed) as refused:
        report_event(trainer_ctx, parcel, "incident")
    assert list(refused.value.fields) == ["incident"]
    with pytest.raises(ValidationFailed):
        report_event(trainer_ctx, parcel, "picked_up", incident="lost")
    with pytest.raises(InvalidTransition):
        report_event(trainer_ctx, parcel, "delivered")
    db.session.rollback()
    assert log.verbs() == []
    report_event(trainer_ctx, parcel, "incident", incident="lost")
    assert parcel.status == "incident"


def test_no_shipping_twice_nor_outside_a_running_shift(trainer_ctx, world, log, shift):
    with pytest.raises(InvalidTransition):
        ship_order(trainer_ctx, world.delivered, "Colissimo")
    with pytest.raises(ValidationFailed) as refused:
        ship_order(trainer_ctx, world.paid, "  ")
    assert list(refused.value.fields) == ["carrier"]
    shift.status = "ended"
    with pytest.raises(Conflict) as stopped:
        ship_order(trainer_ctx, world.paid, "Colissimo")
    assert stopped.value.code == "attempt_not_running"


def test_the_trainer_api_and_its_refusals(api, world, attempt, log):
    trainer = api.as_("formateur")
    shipped = trainer.post(
        f"/attempts/{attempt.id}/orders/{world.paid.id}/ship", {"carrier": "Colissimo"}
    )
    assert shipped.status_code == 201, shipped.get_json()
    parcel = shipped.get_json()["id"]
    url = f"/attempts/{attempt.id}/deliveries/{parcel}/events"
    assert trainer.post(url, {"kind": "picked_up"}).status_code == 201
    lost = trainer.post(url, {"kind": "incident"})
    assert lost.status_code == 422 and "incident" in lost.get_json()["error"]["fields"]
    bad = trainer.post(url, {"kind": "teleported"})
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["fields"]
    done = trainer.post(url, {"kind": "delivered", "place": "Lyon"})
    assert done.status_code == 201 and done.get_json()["status"] == "delivered"
    assert trainer.post(url, {"kind": "in_transit"}).status_code == 409
    cand = api.as_("candidat1")
    assert cand.post(url, {"kind": "delivered"}).status_code == 403
    assert log.verbs() == ["delivery.shipped"] + ["delivery.event_reported"] * 2
