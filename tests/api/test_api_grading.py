"""Grading API: my marking, blind second marking, agreement, sign-off, notes, CSV; refusals."""

from __future__ import annotations

import csv
import io

import pytest

from crm.actionlog.services import Ctx, record
from crm.evaluation.standards import get_standard
from crm.extensions import db

CQP = "cqp-relation-commerciale-a-distance"
Q = f"?standard={CQP}"


@pytest.fixture
def jury2(make_user):
    return make_user("jury2", "evaluator")


def _put(api, path, body):
    return api.client.put("/api/v1" + path, headers=api._headers(), json=body)


def _full_grid(**overrides):
    grid = {c.id: {"grade": "acquired"} for c in get_standard(CQP).criteria}
    grid.update({k: {"grade": v, "comment": "écart"} for k, v in overrides.items()})
    return {"grades": grid}


def _hand_in(api, attempt, **overrides):
    assert (
        _put(api, f"/attempts/{attempt.id}/grades{Q}", _full_grid(**overrides)).status_code == 200
    )
    response = api.post(f"/attempts/{attempt.id}/grades/submit{Q}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_grade_then_read_my_marking(api, attempt, people):
    jury = api.as_("jury")
    response = _put(
        jury,
        f"/attempts/{attempt.id}/grades{Q}",
        {"grades": {"C1-C1": {"grade": "in_progress", "comment": "À consolider."}}},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["role"] == "first"
    body = jury.get(f"/attempts/{attempt.id}/grades", standard=CQP).get_json()
    assert body["state"] == "first_marking"
    assert body["my_marking"]["grades"] == {
        "C1-C1": {"grade": "in_progress", "comment": "À consolider."}
    }
    assert body["sign_off"] is None


def test_double_marking_over_the_api(api, attempt, people, jury2):
    jury, second = api.as_("jury"), api.as_("jury2")
    _hand_in(jury, attempt, **{"C3-C1": "not_acquired"})
    # The second evaluator sees nothing of the first grid while grading.
    _put(second, f"/attempts/{attempt.id}/grades{Q}", {"grades": {"C1-C1": {"grade": "acquired"}}})
    blind = second.get(f"/attempts/{attempt.id}/grades", standard=CQP).get_json()
    assert blind["state"] == "second_marking"
    assert [m["role"] for m in blind["markings"]] == ["second"]
    assert blind["final"] == {} and blind["disputes"] == []

    body = _hand_in(second, attempt)
    assert body["state"] == "reconciling" and body["disputes"] == ["C3-C1"]
    assert [m["role"] for m in body["markings"]] == ["first", "second"]

    early = jury.post(f"/attempts/{attempt.id}/grades/sign-off{Q}")
    assert early.status_code == 409
    agreed = jury.post(
        f"/attempts/{attempt.id}/grades/agree{Q}",
        {"criterion": "C3-C1", "grade": "in_progress", "comment": "Convenu."},
    )
    assert agreed.status_code == 200 and agreed.get_json()["state"] == "agreed"
    signed = second.post(f"/attempts/{attempt.id}/grades/sign-off{Q}")
    assert signed.status_code == 201
    db.session.refresh(attempt)
    assert signed.get_json()["chain_head"] == attempt.chain_head
    assert signed.get_json()["action_count"] == attempt.action_count
    # Locked: any change is a 409.
    again = _put(
        jury, f"/attempts/{attempt.id}/grades{Q}", {"grades": {"C1-C1": {"grade": "acquired"}}}
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "signed"
    assert jury.post(f"/attempts/{attempt.id}/grades/sign-off{Q}").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grades": {"ZZ": {"grade": "acquired"}}}, "grades.ZZ"),
        ({"grades": {"C1-C1": {"grade": "top"}}}, "grades.C1-C1.grade"),
        # Not text at all (schemathesis found a 500: a list is no key of the grade scale).
        ({"grades": {"C1-C1": {"grade": ["acquired"]}}}, "grades.C1-C1.grade"),
        ({"grades": []}, "grades"),
        ({}, "grades"),
    ],
)
def test_bad_grades_are_422_naming_the_field(api, attempt, people, body, field):
    response = _put(api.as_("jury"), f"/attempts/{attempt.id}/grades{Q}", body)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_standard_is_required_and_known(api, attempt, people):
    jury = api.as_("jury")
    attempt.shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    missing = jury.get(f"/attempts/{attempt.id}/grades")  # the shift has no standard
    assert missing.status_code == 422 and "standard" in missing.get_json()["error"]["fields"]
    unknown = jury.get(f"/attempts/{attempt.id}/grades", standard="nope")
    assert unknown.status_code == 422 and "standard" in unknown.get_json()["error"]["fields"]
    attempt.shift.standard = CQP
    db.session.commit()
    assert jury.get(f"/attempts/{attempt.id}/grades").get_json()["standard"]["id"] == CQP


def test_candidate_gets_403_and_unknown_attempt_404(api, attempt, people):
    cand = api.as_("candidat1")
    assert cand.get(f"/attempts/{attempt.id}/grades", standard=CQP).status_code == 403
    put = _put(
        cand, f"/attempts/{attempt.id}/grades{Q}", {"grades": {"C1-C1": {"grade": "acquired"}}}
    )
    assert put.status_code == 403
    assert cand.post(f"/attempts/{attempt.id}/grades/sign-off{Q}").status_code == 403
    assert cand.get(f"/attempts/{attempt.id}/notes").status_code == 403
    assert cand.get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP).status_code == 403
    jury = api.as_("jury")
    assert jury.get("/attempts/9999/grades", standard=CQP).status_code == 404
    assert jury.get("/shifts/9999/grades.csv", standard=CQP).status_code == 404


def test_agree_and_submit_out_of_turn_are_409(api, attempt, people):
    jury = api.as_("jury")
    assert jury.post(f"/attempts/{attempt.id}/grades/submit{Q}").status_code == 409
    response = jury.post(
        f"/attempts/{attempt.id}/grades/agree{Q}", {"criterion": "C1-C1", "grade": "acquired"}
    )
    assert response.status_code == 409
    bad = jury.post(f"/attempts/{attempt.id}/grades/agree{Q}", {"criterion": "C1-C1", "grade": "x"})
    assert bad.status_code == 422 and "grade" in bad.get_json()["error"]["fields"]
    for grade in ({}, ["acquired"]):
        bad = jury.post(
            f"/attempts/{attempt.id}/grades/agree{Q}", {"criterion": "C1-C1", "grade": grade}
        )
        assert bad.status_code == 422 and "grade" in bad.get_json()["error"]["fields"]
    incomplete = _put(
        jury, f"/attempts/{attempt.id}/grades{Q}", {"grades": {"C1-C1": {"grade": "acquired"}}}
    )
    assert incomplete.status_code == 200
    refused = jury.post(f"/attempts/{attempt.id}/grades/submit{Q}")
    assert refused.status_code == 422 and "grades.C1-C2" in refused.get_json()["error"]["fields"]


def test_notes_on_actions(api, attempt, other_attempt, people):
    action = record(Ctx(attempt, people["cand1"].id, "candidate"), "kb.searched", None, {"q": "x"})
    foreign = record(Ctx(other_attempt, people["cand2"].id, "candidate"), "kb.searched", None, {})
    db.session.commit()
    jury = api.as_("jury")
    created = jury.post(
        f"/attempts/{attempt.id}/actions/{action.id}/notes", {"body": "Bonne recherche."}
    )
    assert created.status_code == 201
    assert created.get_json()["action_id"] == action.id
    listed = jury.get(f"/attempts/{attempt.id}/notes").get_json()
    assert listed["total"] == 1 and listed["items"][0]["body"] == "Bonne recherche."
    empty = jury.post(f"/attempts/{attempt.id}/actions/{action.id}/notes", {"body": " "})
    assert empty.status_code == 422 and "body" in empty.get_json()["error"]["fields"]
    elsewhere = jury.post(f"/attempts/{attempt.id}/actions/{foreign.id}/notes", {"body": "x"})
    assert elsewhere.status_code == 404
    cand = api.as_("candidat1")
    assert (
        cand.post(f"/attempts/{attempt.id}/actions/{action.id}/notes", {"body": "x"}).status_code
        == 403
    )


def test_shift_grades_csv(api, attempt, people):
    jury = api.as_("jury")
    _hand_in(jury, attempt, **{"C1-C1": "not_acquired"})
    response = jury.get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Candidat", "Identifiant", "Tentative", "Critère"]
    assert len(rows) == 1 + len(get_standard(CQP).criteria)
    c1 = next(r for r in rows if r[3] == "C1-C1")
    assert c1[1] == "candidat1" and c1[2] == str(attempt.id)
    assert c1[4].startswith("Ciblage de l'interlocuteur")
    assert c1[5:9] == ["À juger par l'évaluateur", "Non acquis", "écart", "non"]


def test_openapi_lists_the_grading_endpoints(api, people):
    paths = api.as_("jury").get("/openapi.json").get_json()["paths"]
    assert "put" in paths["/api/v1/attempts/{attempt_id}/grades"]
    assert "post" in paths["/api/v1/attempts/{attempt_id}/actions/{action_id}/notes"]
    assert "get" in paths["/api/v1/shifts/{shift_id}/grades.csv"]
