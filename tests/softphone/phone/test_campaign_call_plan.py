"""The shift's campaign in a candidate's world: the call plan, the dialler's rules, the room."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm.db import db
from crm.training.services import change_shift_status, create_shift

SETUP = {
    "name": "Réactivation Loire-Atlantique",
    "kind": "client",
    "departments": ["44"],
    "qualification_codes": ["VENTE", "RDV", "ABSENT", "REFUS"],
    "call_guide": ["Se présenter", "Proposer le réassort"],
    "windows": ["09:00-12:00"],
    "max_attempts": 2,
    "min_spacing_minutes": 60,
    "after_call_work_seconds": 30,
    "goal_codes": ["VENTE", "RDV"],
    "goal_count": 1,
    "goal_rate": 50,
}
NUMBER = "02 61 91 61 20"  # C10016, whose customer the scenario scripted


@pytest.fixture
def running(app, api, people, clock):
    """A shift of cand3 whose campaign was set up before it started (clock: Tuesday 11:00)."""
    shift = create_shift("bureau-direct", [people["cand3"]], created_by=people["trainer"])
    db.session.commit()
    trainer = api.as_("formateur")
    response = trainer.client.put(
        f"/api/v1/shifts/{shift.id}/campaign", json=SETUP, headers=trainer._headers()
    )
    assert response.status_code == 200, response.get_json()
    change_shift_status(shift, "start", actor=people["trainer"])
    db.session.commit()
    return shift


def test_the_call_plan_follows_the_campaign_and_the_room_shows_progress(running, api, clock):
    cand = api.as_("candidat3")
    plan = cand.get("/call-plan").get_json()
    [campaign] = [c for c in plan["campaigns"] if c["key"] == "relance-clients-inactifs"]
    assert campaign["name"] == SETUP["name"]
    assert [e["client"]["number"] for e in campaign["entries"]] == ["C10016"]
    assert campaign["entries"][0]["scripted"] is True

    assert cand.post("/phone/state", {"state": "ready"}).status_code == 200
    dialled = cand.post("/calls", {"number": NUMBER})
    assert dialled.status_code == 201, dialled.get_json()
    call = dialled.get_json()
    assert cand.post(f"/calls/{call['id']}/hangup").status_code == 200
    contact_id = cand.get(f"/calls/{call['id']}").get_json()["contact_id"]
    qualified = cand.post(f"/contacts/{contact_id}/qualify", {"code": "VENTE", "note": "Réassort"})
    assert qualified.status_code == 200, qualified.get_json()

    live = api.as_("formateur").get(f"/shifts/{running.id}/live").get_json()
    [tile] = live["items"]
    progress = tile["campaign"]
    assert (progress["targets"], progress["called"], progress["attempts"]) == (1, 1, 1)
    assert (progress["reached"], progress["successes"]) == (1, 1)
    assert progress["outcomes"] == {"VENTE": 1}
    assert progress["conversion"] == 100.0
    assert progress["goal"]["met"] is True
    assert live["campaign"]["candidates"] == 1 and live["campaign"]["successes"] == 1

    # The campaign's spacing: the same number again too soon is a warning…
    cand.post("/phone/state", {"state": "ready"})
    again = cand.post("/calls", {"number": NUMBER})
    assert again.status_code == 409
    assert [b["rule"] for b in again.get_json()["error"]["breaches"]] == ["spacing"]
    # …and past noon, outside the campaign's window.
    clock.advance(timedelta(hours=2).total_seconds())
    late = cand.post("/calls", {"number": NUMBER})
    assert [b["rule"] for b in late.get_json()["error"]["breaches"]] == ["campaign_window"]


def test_the_wrap_up_maximum_is_the_campaigns(running, api, clock):
    cand = api.as_("candidat3")
    cand.post("/phone/state", {"state": "ready"})
    call = cand.post("/calls", {"number": NUMBER}).get_json()
    cand.post(f"/calls/{call['id']}/hangup")
    clock.advance(45)
    [tile] = api.as_("formateur").get(f"/shifts/{running.id}/live").get_json()["items"]
    assert tile["wrap_up"]["max_seconds"] == 30
    assert "wrap_up_over" in [a["code"] for a in tile["alerts"]]
