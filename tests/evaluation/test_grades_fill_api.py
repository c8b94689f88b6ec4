"""`POST /api/v1/attempts/<id>/grades/fill`: « remplir le reste » through the API."""

from __future__ import annotations

from crm.evaluation.standards import get_standard

CQP = "cqp-relation-commerciale-a-distance"
Q = f"?standard={CQP}"


def _put(api, path, body):
    return api.client.put("/api/v1" + path, headers=api._headers(), json=body)


def test_fill_grades_only_what_is_left(api, attempt):
    jury = api.as_("jury")
    criteria = get_standard(CQP).criteria
    draft = {"grades": {criteria[0].id: {"grade": "acquired"}}}
    assert _put(jury, f"/attempts/{attempt.id}/grades{Q}", draft).status_code == 200
    response = jury.post(f"/attempts/{attempt.id}/grades/fill{Q}", {"grade": "not_observed"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["filled"] == [c.id for c in criteria[1:]]
    grades = {cid: g["grade"] for cid, g in body["marking"]["grades"].items()}
    assert grades[criteria[0].id] == "acquired"
    assert len(grades) == len(criteria)


def test_fill_refuses_bad_input_naming_the_field(api, attempt):
    jury = api.as_("jury")
    path = f"/attempts/{attempt.id}/grades/fill{Q}"
    bad = jury.post(path, {"grade": "excellent"})
    assert bad.status_code == 422 and "grade" in bad.get_json()["error"]["fields"]
    unknown = jury.post(path, {"grade": "acquired", "competency": "ZZ"})
    assert unknown.status_code == 422 and "competency" in unknown.get_json()["error"]["fields"]
    assert api.as_("candidat1").post(path, {"grade": "acquired"}).status_code == 403


def test_fill_is_refused_once_handed_in(api, attempt):
    jury = api.as_("jury")
    assert (
        jury.post(f"/attempts/{attempt.id}/grades/fill{Q}", {"grade": "acquired"}).status_code
        == 200
    )
    assert jury.post(f"/attempts/{attempt.id}/grades/submit{Q}").status_code == 200
    refused = jury.post(f"/attempts/{attempt.id}/grades/fill{Q}", {"grade": "not_observed"})
    assert refused.status_code == 409


def test_fill_is_in_the_openapi_document(api):
    document = api.client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/attempts/{attempt_id}/grades/fill"]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "grade" in schema["properties"] and "competency" in schema["properties"]


def test_fill_refuses_a_competency_that_is_not_text(api, attempt):
    jury = api.as_("jury")
    path = f"/attempts/{attempt.id}/grades/fill{Q}"
    for odd in ({}, [], False, 0):
        response = jury.post(path, {"grade": "acquired", "competency": odd})
        assert response.status_code == 422, odd
        assert "competency" in response.get_json()["error"]["fields"]
    assert jury.post(path, {"grade": "acquired", "competency": None}).status_code == 200
