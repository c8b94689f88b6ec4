"""A shift's campaign: set up and checked, recorded, copied into the worlds at the start."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.campaigns.models import Campaign
from crm.db import db
from crm.training.services import change_shift_status, create_shift, reset_attempt

SETUP = {
    "name": "Relance des clients lyonnais",
    "kind": "client",
    "segment": "b2b",
    "departments": ["69"],
    "no_order_days": 45,
    "qualification_codes": ["VENTE", "RDV", "REFUS", "ABSENT", "RAPPEL"],
    "call_guide": ["Se présenter", "Découvrir le besoin", "Conclure"],
    "windows": ["09:00-12:00", "14:00-18:00"],
    "max_attempts": 3,
    "min_spacing_minutes": 120,
    "after_call_work_seconds": 90,
    "goal_codes": ["VENTE", "RDV"],
    "goal_count": 2,
    "goal_rate": 25,
}


@pytest.fixture
def planned(app, people):
    """A planned shift of the trainer, with cand3."""
    shift = create_shift("bureau-direct", [people["cand3"]], created_by=people["trainer"])
    db.session.commit()
    return shift


def _put(api, shift, body):
    """PUT /shifts/{id}/campaign with this API client's token."""
    return api.client.put(f"/api/v1/shifts/{shift.id}/campaign", json=body, headers=api._headers())


def _actions(attempt_id: int, verb: str) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == attempt_id, Action.verb == verb)
            .order_by(Action.seq)
        )
    )


def test_set_up_then_started_gives_each_world_the_campaign(planned, api, people):
    trainer = api.as_("formateur")
    response = _put(trainer, planned, SETUP)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["set_up"] is True and body["editable"] is True
    assert body["campaign"]["windows"] == ["09:00-12:00", "14:00-18:00"]
    targets = [t["client"] for t in body["targets"]["items"]]
    assert targets and all(t.startswith("C1") for t in targets)  # B2B clients of the Rhône
    attempt = planned.attempts[0]
    [set_up] = _actions(attempt.id, "campaign.set_up")
    assert set_up.actor_id == people["trainer"].id
    assert set_up.payload["targets"] == targets and "name" in set_up.payload["changed"]

    change_shift_status(planned, "start", actor=people["trainer"])
    db.session.commit()
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "relance-clients-inactifs"
        )
    )
    assert campaign.name == SETUP["name"]
    assert campaign.qualification_codes == SETUP["qualification_codes"]
    assert campaign.settings["call_guide"] == SETUP["call_guide"]
    assert campaign.settings["after_call_work_seconds"] == 90
    assert [e["client"] for e in campaign.settings["call_plan"]] == targets
    # A target the scenario scripted keeps its customer.
    scripted = [e for e in campaign.settings["call_plan"] if e.get("script")]
    assert [e["client"] for e in scripted] == ["C10016"] or not any(t == "C10016" for t in targets)
    rules = db.session.get(type(attempt), attempt.id).settings["calling_rules"]
    assert rules["max_attempts"] == 3 and rules["min_spacing_minutes"] == 120
    assert rules["windows"] == ["09:00-12:00", "14:00-18:00"]
    [assigned] = _actions(attempt.id, "campaign.assigned")
    assert assigned.payload["targets"] == targets

    # A reset world starts with the campaign too.
    new = reset_attempt(attempt, people["trainer"])
    db.session.commit()
    assert _actions(new.id, "campaign.assigned")

    # Once started, the campaign no longer changes.
    late = _put(trainer, planned, SETUP)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"qualification_codes": ["NOPE"]}, "qualification_codes"),
        ({"qualification_codes": []}, "qualification_codes"),
        ({"call_guide": []}, "call_guide"),
        ({"call_guide": ["x" * 201]}, "call_guide"),
        ({"call_guide": [f"étape {i}" for i in range(16)]}, "call_guide"),
        ({"windows": ["9h-12h"]}, "windows"),
        ({"windows": ["12:00-09:00"]}, "windows"),
        ({"windows": ["09:00-12:00", "11:00-13:00"]}, "windows"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": "trois"}, "max_attempts"),
        ({"min_spacing_minutes": -1}, "min_spacing_minutes"),
        ({"after_call_work_seconds": 4000}, "after_call_work_seconds"),
        ({"goal_codes": ["STOP"]}, "goal_codes"),
        ({"goal_count": None, "goal_rate": None}, "goal_count"),
        ({"goal_rate": 101}, "goal_rate"),
        ({"city": "Atlantis"}, "filters"),
        ({"segment": "b2x"}, "segment"),
        ({"base": "inconnue"}, "base"),
        # "" is no number in JSON (a form's blank is not given: the page test below).
        ({"goal_rate": ""}, "goal_rate"),
        ({"max_attempts": ""}, "max_attempts"),
        ({"no_order_days": ""}, "no_order_days"),
    ],
)
def test_refusals_name_the_field_and_save_nothing(planned, api, change, field):
    trainer = api.as_("formateur")
    response = _put(trainer, planned, {**SETUP, **change})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert trainer.get(f"/shifts/{planned.id}/campaign").get_json()["set_up"] is False
    assert not _actions(planned.attempts[0].id, "campaign.set_up")


def test_who_may_read_and_set_up(planned, api, make_user):
    make_user("formateur2", "trainer")
    url = f"/shifts/{planned.id}/campaign"
    jury = api.as_("jury")  # does not run this shift
    assert jury.get(url).status_code == 403
    assert api.as_("formateur2").get(url).get_json()["error"]["code"] == "not_staff"
    assert api.as_("candidat1").get(url).status_code == 403
    assert api.get(url).status_code == 401
    defaults = api.as_("formateur").get(url).get_json()
    assert (
        defaults["set_up"] is False and defaults["campaign"]["base"] == "relance-clients-inactifs"
    )
    assert defaults["targets"]["total"] > 0
    preview = api.as_("formateur").post(f"{url}/targets", {"kind": "prospect", "segment": "b2c"})
    assert preview.status_code == 200
    assert {t["kind"] for t in preview.get_json()["items"]} == {"prospect"}
    bad = api.as_("formateur").post(f"{url}/targets", {"departments": ["Rhône"]})
    assert bad.status_code == 422 and "departments" in bad.get_json()["error"]["fields"]


def test_the_page_sets_up_the_campaign(planned, client, login, csrf_from):
    login("formateur")
    page = client.get(f"/shifts/{planned.id}/campaign")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Campagne sortante de la séance" in html and 'id="target-count"' in html
    token = csrf_from(html)
    form = {
        "csrf_token": token,
        "name": "Prospection Rhône",
        "base": "relance-clients-inactifs",
        "kind": "prospect",
        "departments": "69",
        "exclude_opposed": "y",
        "qualification_codes": ["RDV", "REFUS", "ABSENT"],
        "call_guide": "Se présenter\nProposer un rendez-vous",
        "windows": "09:30-12:00",
        "max_attempts": "2",
        "min_spacing_minutes": "30",
        "after_call_work_seconds": "45",
        "goal_codes": ["RDV"],
        "goal_count": "",
        "goal_rate": "",
    }
    refused = client.post(f"/shifts/{planned.id}/campaign", data=form, follow_redirects=True)
    assert refused.status_code == 422
    assert "Fixez un objectif" in refused.get_data(as_text=True)
    form["goal_rate"] = "20"
    done = client.post(f"/shifts/{planned.id}/campaign", data=form, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Campagne « Prospection Rhône » enregistrée" in text
    assert 'value="09:30-12:00"' in text
