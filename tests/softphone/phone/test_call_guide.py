"""The call guide: the open contact's campaign guide, ticks recorded as actions and read back."""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.training.library import load_scenario
from crm.training.scenario_schema import validate_scenario

PLAN_NUMBER = "02 61 91 61 20"  # first entry of the default scenario's outbound call plan


@pytest.fixture
def cand(api, shift, clock, caller):
    """cand1's API client, ready on the phone, at a moment inside the calling windows."""
    client = api.as_("candidat1")
    assert client.post("/phone/state", {"state": "ready"}).status_code == 200
    return client


def ticks(attempt_id: int) -> list[Action]:
    return list(
        db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == attempt_id, Action.verb == "guide.step_ticked")
            .order_by(Action.seq)
        )
    )


def test_idle_desk_shows_every_guide_untickable(cand, attempt):
    view = cand.get("/call-guide").get_json()
    assert view["contact_id"] is None and view["campaign"] is None
    names = [g["campaign"] for g in view["guides"]]
    assert names == ["entrant-service-client", "relance-clients-inactifs", "recouvrement-impayes"]
    assert all(not s["checked"] for g in view["guides"] for s in g["steps"])
    body = {"campaign": "entrant-service-client", "step": 0, "checked": True}
    refused = cand.post("/call-guide/ticks", body)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "no_open_contact"
    assert ticks(attempt.id) == []


def test_ticks_belong_to_the_open_contact_and_are_read_back(cand, attempt):
    call = cand.post("/calls", {"number": PLAN_NUMBER, "acknowledge_rules": True}).get_json()
    view = cand.get("/call-guide").get_json()
    assert (view["contact_id"], view["campaign"]) == (
        call["contact_id"],
        "relance-clients-inactifs",
    )
    (guide,) = view["guides"]
    body = {"campaign": guide["campaign"], "step": 1, "checked": True}
    ticked = cand.post("/call-guide/ticks", body)
    assert ticked.status_code == 200
    assert [s["checked"] for s in ticked.get_json()["guides"][0]["steps"]][:3] == [
        False,
        True,
        False,
    ]
    cand.post("/call-guide/ticks", {**body, "checked": False})
    cand.post("/call-guide/ticks", {**body, "step": 2})
    steps = cand.get("/call-guide").get_json()["guides"][0]["steps"]
    assert [s["index"] for s in steps if s["checked"]] == [2]
    recorded = ticks(attempt.id)
    assert [(a.payload["step"], a.payload["checked"]) for a in recorded] == [
        (1, True),
        (1, False),
        (2, True),
    ]
    assert recorded[0].payload["text"] == guide["steps"][1]["text"]
    assert {(a.interaction_type, a.interaction_id) for a in recorded} == {
        ("contact", call["contact_id"])
    }
    # The next contact starts with a clean guide.
    cand.post(f"/calls/{call['id']}/hangup")
    qualified = cand.post(
        f"/contacts/{call['contact_id']}/qualify", {"code": "ABSENT", "note": "x"}
    )
    assert qualified.status_code == 200
    assert cand.get("/call-guide").get_json()["contact_id"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"campaign": "inconnue", "step": 0, "checked": True}, "campaign"),
        ({"campaign": "relance-clients-inactifs", "step": 99, "checked": True}, "step"),
        ({"campaign": "relance-clients-inactifs", "step": -1, "checked": True}, "step"),
        ({"campaign": "relance-clients-inactifs", "step": "un", "checked": True}, "step"),
        ({"campaign": "relance-clients-inactifs", "step": 0, "checked": "oui"}, "checked"),
        ({"campaign": "relance-clients-inactifs", "step": 0}, "checked"),
        ({"step": 0, "checked": True}, "campaign"),
    ],
)
def test_tick_refusals_name_the_field_and_record_nothing(cand, attempt, body, field):
    cand.post("/calls", {"number": PLAN_NUMBER, "acknowledge_rules": True})
    refused = cand.post("/call-guide/ticks", body)
    assert refused.status_code == 422
    assert field in refused.get_json()["error"]["fields"]
    assert ticks(attempt.id) == []


def test_only_a_candidate_has_a_call_guide(api, shift):
    for username in ("formateur", "jury"):
        assert api.as_(username).get("/call-guide").status_code == 403
    assert api.get("/call-guide").status_code == 401


def test_a_bad_call_guide_is_refused_when_the_scenario_is_validated(app):
    data = copy.deepcopy(load_scenario("bureau-direct"))
    data["campaigns"][0]["call_guide"] = ["Saluer", "  ", 3, "x" * 201]
    data["campaigns"][1]["call_guide"] = [f"Étape {i}" for i in range(16)]
    found = {p.path: p.message for p in validate_scenario(data, "bureau-direct.yaml")}
    assert "texte non vide" in found["campaigns[0].call_guide[1]"]
    assert "texte non vide" in found["campaigns[0].call_guide[2]"]
    assert "200 caractères au plus" in found["campaigns[0].call_guide[3]"]
    assert "16 étapes, c'est trop : 15 étapes au plus" in found["campaigns[1].call_guide"]
