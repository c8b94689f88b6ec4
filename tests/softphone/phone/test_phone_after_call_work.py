"""GET /phone in wrap-up: the after-call work so far against the campaign's maximum."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.campaigns.models import Campaign
from crm.db import db

CALLER = "04 99 00 00 01"  # the `caller` fixture's number


@pytest.fixture
def cand(api, shift, clock, caller):
    """cand1's API client, ready on the phone, at a fixed moment inside the calling windows."""
    client = api.as_("candidat1")
    assert client.post("/phone/state", {"state": "ready"}).status_code == 200
    return client


def campaign(attempt, key: str) -> Campaign:
    return db.session.scalar(
        sa.select(Campaign).where(Campaign.attempt_id == attempt.id, Campaign.key == key)
    )


def inbound_call_in_wrap_up(api, cand, attempt, clock) -> dict:
    """An inbound call rung by the trainer, answered, talked 20 s and hung up; its JSON."""
    trainer = api.as_("formateur")
    rung = trainer.post(f"/attempts/{attempt.id}/inbound-calls", {"number": CALLER})
    assert rung.status_code == 201, rung.get_json()
    call = rung.get_json()
    assert cand.post(f"/calls/{call['id']}/answer").status_code == 200
    clock.advance(20)
    ended = cand.post(f"/calls/{call['id']}/hangup")
    assert ended.status_code == 200, ended.get_json()
    return ended.get_json()


def test_no_maximum_outside_wrap_up(cand, api, attempt, clock):
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "ready"
    assert (phone["wrap_up_seconds"], phone["after_call_work_max"]) == (None, None)
    call = api.as_("formateur").post(f"/attempts/{attempt.id}/inbound-calls", {"number": CALLER})
    cand.post(f"/calls/{call.get_json()['id']}/answer")
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "on_call" and phone["after_call_work_max"] is None


def test_inbound_wrap_up_against_the_inbound_campaigns_maximum(cand, api, attempt, clock):
    call = inbound_call_in_wrap_up(api, cand, attempt, clock)
    clock.advance(45)
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "wrap_up"
    assert (phone["wrap_up_seconds"], phone["after_call_work_max"]) == (45.0, 60)
    clock.advance(30)  # over the maximum: the timer goes on, the maximum stays
    phone = cand.get("/phone").get_json()
    assert (phone["wrap_up_seconds"], phone["after_call_work_max"]) == (75.0, 60)
    assert phone["wrap_up_seconds"] > phone["after_call_work_max"]
    # Going over is not an action: the log only gets the wrap-up's end when it is qualified.
    last = db.session.scalar(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    )
    assert last.verb == "call.ended"
    qualified = cand.post(f"/contacts/{call['contact_id']}/qualify", {"code": "INFO", "note": "."})
    assert qualified.status_code == 200, qualified.get_json()
    phone = cand.get("/phone").get_json()
    assert (phone["state"], phone["after_call_work_max"]) == ("ready", None)
    released = db.session.scalar(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id, Action.verb == "agent.state_changed")
        .order_by(Action.seq.desc())
    )
    assert released.payload["wrap_up_seconds"] == 75.0


def test_a_campaign_without_a_target_gives_no_maximum(cand, api, attempt, clock):
    inbound = campaign(attempt, "entrant-service-client")
    inbound.settings = {k: v for k, v in inbound.settings.items() if k != "after_call_work_seconds"}
    db.session.commit()
    inbound_call_in_wrap_up(api, cand, attempt, clock)
    clock.advance(300)
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "wrap_up"
    assert (phone["wrap_up_seconds"], phone["after_call_work_max"]) == (300.0, None)


def test_an_outbound_call_takes_its_call_plans_campaign_maximum(cand, attempt, clock):
    collection = campaign(attempt, "recouvrement-impayes")
    collection.settings = {**collection.settings, "call_plan": [{"number": CALLER}]}
    db.session.commit()
    dialled = cand.post("/calls", {"number": CALLER, "acknowledge_rules": True})
    assert dialled.status_code == 201, dialled.get_json()
    cand.post(f"/calls/{dialled.get_json()['id']}/hangup")
    clock.advance(80)
    phone = cand.get("/phone").get_json()
    assert (phone["state"], phone["wrap_up_seconds"]) == ("wrap_up", 80.0)
    assert phone["after_call_work_max"] == 90  # the collection campaign's, not the first's 60
    qualify = {"code": "INFO", "note": "."}
    assert cand.post(f"/contacts/{phone['open_contact_id']}/qualify", qualify).status_code == 200
    # A typed number in no call plan: the first outbound campaign's maximum.
    typed = cand.post("/calls", {"number": "05 56 00 00 02", "acknowledge_rules": True})
    assert typed.status_code == 201, typed.get_json()
    cand.post(f"/calls/{typed.get_json()['id']}/hangup")
    assert cand.get("/phone").get_json()["after_call_work_max"] == 60
