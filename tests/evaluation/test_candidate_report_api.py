"""API of the end-of-shift report: /memo, /memo/send, /self-assessment, /self-assessment/submit."""

from __future__ import annotations

import pytest

from crm.actionlog.models import Action
from crm.extensions import db
from crm.training.services import change_shift_status


def _put(api, body):
    return api.client.put("/api/v1/self-assessment", headers=api._headers(), json=body)


def _criteria(api):
    return [c["id"] for c in api.get("/self-assessment").get_json()["criteria"]]


def test_memo_is_sent_once(api, attempt):
    cand = api.as_("candidat1")
    assert cand.get("/memo").get_json() == {"attempt_id": attempt.id, "memo": None}
    sent = cand.post("/memo/send", {"subject": "Bilan", "body": "Tout s'est bien passé."})
    assert sent.status_code == 201, sent.get_json()
    memo = sent.get_json()["memo"]
    assert memo["subject"] == "Bilan" and memo["sent_at"]
    assert cand.get("/memo").get_json()["memo"] == memo
    again = cand.post("/memo/send", {"subject": "Encore", "body": "Non"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "memo_already_sent"
    verbs = db.session.scalars(db.select(Action.verb).where(Action.attempt_id == attempt.id))
    assert list(verbs).count("memo.sent") == 1


def test_memo_validation_is_422_naming_fields(api, attempt):
    cand = api.as_("candidat1")
    response = cand.post("/memo/send", {"subject": "", "body": ["not", "text"]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {
        "subject": "Champ obligatoire.",
        "body": "Texte attendu.",
    }
    assert cand.get("/memo").get_json()["memo"] is None
    bad = cand.client.post(
        "/api/v1/memo/send", headers=cand._headers(), data="{", content_type="application/json"
    )
    assert bad.status_code == 400


def test_self_assessment_draft_then_submit(api, attempt):
    cand = api.as_("candidat1")
    grid = cand.get("/self-assessment").get_json()
    assert (
        grid["status"] == "empty" and grid["standard"]["id"] == "mc-acvad-referentiel-certification"
    )
    assert [s["code"] for s in grid["scale"]] == [
        "acquired",
        "in_progress",
        "not_acquired",
        "not_observed",
    ]
    ids = [c["id"] for c in grid["criteria"]]
    assert len(ids) == 78 and grid["criteria"][0]["competency"] == "1.1"

    partial = _put(cand, {"grades": [{"criterion": ids[0], "grade": "acquired", "comment": "ok"}]})
    assert partial.status_code == 200
    assert partial.get_json()["status"] == "draft" and partial.get_json()["graded"] == 1

    refused = cand.post("/self-assessment/submit")
    assert refused.status_code == 422
    fields = refused.get_json()["error"]["fields"]
    assert len(fields) == 77 and f"grades.{ids[1]}.grade" in fields
    assert cand.get("/self-assessment").get_json()["graded"] == 1  # draft kept

    full = [{"criterion": i, "grade": "not_observed"} for i in ids]
    assert _put(cand, {"grades": full}).status_code == 200
    done = cand.post("/self-assessment/submit")
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "submitted" and body["submitted_at"]
    assert body["criteria"][0]["comment"] == ""  # replaced by the full draft

    assert _put(cand, {"grades": full}).status_code == 409
    assert cand.post("/self-assessment/submit").get_json()["error"]["code"] == (
        "self_assessment_submitted"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "grades"),
        ({"grades": [{"criterion": "nope", "grade": "acquired"}]}, "grades.0.criterion"),
        ({"grades": [{"criterion": "1.1-C1", "grade": "top"}]}, "grades.1.1-C1.grade"),
    ],
)
def test_self_assessment_validation_is_422(api, attempt, body, field):
    response = _put(api.as_("candidat1"), body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("username", ["formateur", "jury"])
def test_trainer_and_evaluator_are_refused(api, attempt, username):
    staff = api.as_(username)
    for response in (
        staff.get("/memo"),
        staff.post("/memo/send", {"subject": "x", "body": "y"}),
        staff.get("/self-assessment"),
        _put(staff, {"grades": []}),
        staff.post("/self-assessment/submit"),
    ):
        assert response.status_code == 403


def test_each_candidate_reaches_only_their_attempt(api, attempt, other_attempt):
    api.as_("candidat2").post("/memo/send", {"subject": "Moi", "body": "Karim"})
    assert api.as_("candidat1").get("/memo").get_json() == {"attempt_id": attempt.id, "memo": None}
    assert api.as_("candidat2").get("/memo").get_json()["attempt_id"] == other_attempt.id


def test_no_attempt_is_404_and_an_ended_shift_still_answers(api, attempt, people):
    assert api.as_("candidat3").get("/memo").status_code == 404
    change_shift_status(attempt.shift, "end")
    db.session.commit()
    cand = api.as_("candidat1")
    assert cand.get("/me").get_json()["attempt"] is None
    assert cand.post("/memo/send", {"subject": "Après", "body": "Fin"}).status_code == 201


def test_session_calls_need_the_csrf_header(client, login, attempt):
    login("candidat1")
    response = client.post("/api/v1/memo/send", json={"subject": "x", "body": "y"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"


def test_openapi_lists_the_endpoints(api, people):
    paths = api.get("/openapi.json").get_json()["paths"]
    assert {"/api/v1/memo", "/api/v1/memo/send", "/api/v1/self-assessment"} <= set(paths)
    assert "put" in paths["/api/v1/self-assessment"]
