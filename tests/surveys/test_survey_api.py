"""The surveys' JSON API: the candidate runs the open contact's interview; refusals name their
field (422) or their conflict (409); staff who run the shift read an attempt's interviews."""

from __future__ import annotations

import pytest

from crm.auth.services import create_user
from crm.db import db
from tests.conftest import PASSWORD


@pytest.fixture
def cand(api, survey_attempt):
    """cand1's API client, on the phone with Cabinet Garnier (C41001)."""
    me = api.as_("candidat1")
    assert me.post("/phone/state", {"state": "ready"}).status_code == 200
    response = me.post("/calls", {"number": "04 65 71 40 01"})
    assert response.status_code == 201, response.get_json()
    return me


def test_no_survey_without_an_open_contact(api, survey_attempt):
    assert api.as_("candidat1").get("/survey").get_json() == {"active": False}


def test_an_interview_through_the_api(cand):
    state = cand.get("/survey").get_json()
    assert state["active"] and state["interview"] is None
    assert state["survey"]["intro"].startswith("Bonjour")
    assert [q["key"] for q in state["quotas"]] == ["grandes", "moyennes", "petites"]
    started = cand.post("/survey/interviews")
    assert started.status_code == 201
    interview = started.get_json()["interview"]
    assert interview["current"]["key"] == "effectif"
    assert [o["value"] for o in interview["current"]["options"]] == ["moins-10", "10-49", "50-plus"]
    path = f"/survey/interviews/{interview['id']}"
    bad = cand.post(path + "/answers", {"question": "effectif", "answer": "beaucoup"})
    assert bad.status_code == 422 and "answer" in bad.get_json()["error"]["fields"]
    early = cand.post(path + "/complete")
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "survey_incomplete"
    for key, value in (
        ("effectif", "10-49"),
        ("teletravail", "non"),
        ("amenagement", ["aucun"]),
        ("satisfaction", 6),
        ("commentaire", None),
    ):
        answer = cand.post(path + "/answers", {"question": key, "answer": value})
        assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()["interview"]
    assert body["finished"] and body["current"] is None
    assert [a["question"] for a in body["answers"]] == [
        "effectif",
        "teletravail",
        "amenagement",
        "satisfaction",
        "commentaire",
    ]
    assert body["answers"][-1]["in_words"] == "(sans réponse)"  # optional, passed
    done = cand.post(path + "/complete").get_json()
    assert done["interview"]["status"] == "completed"
    assert done["quotas"][1] == {**done["quotas"][1], "count": 1, "full": False}


def test_refusal_and_call_back_name_their_fields(cand):
    refused = cand.post("/survey/refusal", {"reason": ""})
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    later = cand.post("/survey/callback", {"due_at": "hier", "reason": "Occupé"})
    assert later.status_code == 422 and "due_at" in later.get_json()["error"]["fields"]
    assert cand.get("/survey").get_json()["interview"] is None  # nothing lost, nothing made
    ok = cand.post("/survey/refusal", {"reason": "Ne répond jamais aux sondages."})
    assert ok.get_json()["interview"]["status"] == "refused"


def test_staff_read_the_interviews_and_candidates_cannot(cand, api, survey_attempt):
    cand.post("/survey/interviews")
    path = f"/attempts/{survey_attempt.id}/survey-interviews"
    assert cand.get(path).status_code == 403
    listing = api.as_("formateur").get(path).get_json()
    assert listing["total"] == 1 and listing["items"][0]["status"] == "in_progress"
    create_user("jury2", PASSWORD, "evaluator", "Autre jury")
    db.session.commit()
    assert api.as_("jury2").get(path).status_code == 403  # does not run this shift


def test_trainers_cannot_run_an_interview(api, survey_attempt):
    assert api.as_("formateur").post("/survey/interviews").status_code == 403
    assert api.as_("formateur").get("/survey").status_code == 403
