"""API: tokens, /me, the trainer's shifts and resets, the evaluator's log and chain check."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.auth.models import ApiToken
from crm.extensions import db


def test_token_exchange_and_me(api, people, shift):
    cand = api.as_("candidat1")
    me = cand.get("/me").get_json()
    assert me["user"]["username"] == "candidat1" and me["user"]["role"] == "candidate"
    assert me["attempt"]["id"] == shift.attempts[0].id
    assert me["attempt"]["scenario"] == "bureau-direct"


def test_tokens_are_stored_hashed(api, people):
    cand = api.as_("candidat1")
    stored = db.session.scalars(sa.select(ApiToken.token_hash)).all()
    assert cand.token not in stored and len(stored[0]) == 64


def test_bad_credentials_give_401(api, people):
    response = api.post("/auth/token", {"username": "candidat1", "password": "nope nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"


def test_token_request_validation_names_fields(api):
    response = api.post("/auth/token", {"username": 3})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"username", "password"}


def test_malformed_json_gives_400(client, people):
    response = client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"


def test_no_token_gives_401_and_bad_token_gives_401(api, client):
    assert api.get("/me").status_code == 401
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer forged"})
    assert response.status_code == 401


def test_unknown_api_path_is_json_404(api, people):
    response = api.as_("candidat1").get("/nowhere")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_me_without_running_shift_has_no_attempt(api, people):
    assert api.as_("candidat3").get("/me").get_json()["attempt"] is None


def test_candidate_cannot_use_trainer_endpoints(api, shift):
    cand = api.as_("candidat1")
    assert cand.get("/shifts").status_code == 403
    assert cand.post(f"/attempts/{shift.attempts[0].id}/reset").status_code == 403
    assert cand.get(f"/attempts/{shift.attempts[0].id}/actions").status_code == 403


def test_evaluator_reads_but_cannot_reset(api, shift):
    jury = api.as_("jury")
    assert jury.get(f"/attempts/{shift.attempts[0].id}/actions").status_code == 200
    assert jury.post(f"/attempts/{shift.attempts[0].id}/reset").status_code == 403


def test_trainer_creates_and_drives_a_shift(api, people):
    trainer = api.as_("formateur")
    assert trainer.get("/scenarios").get_json()["items"][0]["valid"] is True
    response = trainer.post(
        "/shifts", {"scenario": "bureau-direct", "candidate_ids": [people["cand3"].id]}
    )
    assert response.status_code == 201, response.get_json()
    shift = response.get_json()
    assert shift["status"] == "planned" and len(shift["attempts"]) == 1
    assert trainer.post(f"/shifts/{shift['id']}/start").get_json()["status"] == "running"
    assert trainer.post(f"/shifts/{shift['id']}/pause").get_json()["status"] == "paused"
    refused = trainer.post(f"/shifts/{shift['id']}/start")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "invalid_transition"
    assert trainer.post(f"/shifts/{shift['id']}/resume").get_json()["status"] == "running"
    assert trainer.post(f"/shifts/{shift['id']}/end").get_json()["status"] == "ended"
    assert trainer.post("/shifts/999/start").status_code == 404


def test_shift_creation_refusals_name_the_field(api, people):
    trainer = api.as_("formateur")
    bad = trainer.post("/shifts", {"scenario": "nope", "candidate_ids": [people["cand1"].id]})
    assert bad.status_code == 422 and "scenario" in bad.get_json()["error"]["fields"]
    bad = trainer.post("/shifts", {"scenario": "bureau-direct", "candidate_ids": []})
    assert "candidate_ids" in bad.get_json()["error"]["fields"]
    bad = trainer.post(
        "/shifts", {"scenario": "bureau-direct", "candidate_ids": [people["trainer"].id]}
    )
    assert bad.status_code == 422 and "candidate_ids" in bad.get_json()["error"]["fields"]
    bad = trainer.post(
        "/shifts",
        {"scenario": "bureau-direct", "candidate_ids": [people["cand1"].id], "mode": "x"},
    )
    assert "mode" in bad.get_json()["error"]["fields"]


def test_reset_creates_a_new_attempt_and_keeps_the_old_one(api, shift, people):
    old = shift.attempts[0]
    old_actions = old.action_count
    trainer = api.as_("formateur")
    response = trainer.post(f"/attempts/{old.id}/reset")
    assert response.status_code == 201
    new = response.get_json()
    assert new["id"] != old.id and new["number"] == 2 and new["status"] == "active"
    old_view = trainer.get(f"/attempts/{old.id}").get_json()
    assert old_view["status"] == "superseded" and old_view["replaced_by"] == new["id"]
    log = trainer.get(f"/attempts/{old.id}/actions").get_json()
    assert log["total"] == old_actions + 1
    assert log["items"][-1]["verb"] == "attempt.reset"
    assert trainer.get(f"/attempts/{old.id}/verify").get_json()["valid"] is True
    # The candidate now works in the new attempt.
    assert api.as_("candidat1").get("/me").get_json()["attempt"]["id"] == new["id"]
    # Resetting a superseded attempt is a state conflict.
    assert trainer.post(f"/attempts/{old.id}/reset").status_code == 409


def test_actions_are_paged_and_filtered(api, attempt):
    jury = api.as_("jury")
    page = jury.get(f"/attempts/{attempt.id}/actions", limit=1, offset=0).get_json()
    assert page["total"] == 1 and page["items"][0]["verb"] == "attempt.started"
    assert {"hash", "prev_hash", "seq", "at"} <= set(page["items"][0])
    assert jury.get(f"/attempts/{attempt.id}/actions", family="order").get_json()["total"] == 0
    bad = jury.get(f"/attempts/{attempt.id}/actions", limit=0)
    assert bad.status_code == 422 and "limit" in bad.get_json()["error"]["fields"]
    assert jury.get("/attempts/999/actions").status_code == 404


def test_verify_reports_a_tampered_row(api, attempt):
    first = db.session.scalars(sa.select(Action).where(Action.attempt_id == attempt.id)).first()
    db.session.execute(sa.update(Action).where(Action.id == first.id).values(verb="kb.read"))
    db.session.commit()
    body = api.as_("jury").get(f"/attempts/{attempt.id}/verify").get_json()
    assert body["valid"] is False and body["broken_at"] == first.id


def test_openapi_document_lists_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/attempts/{attempt_id}/reset",
        "/api/v1/attempts/{attempt_id}/actions",
        "/api/v1/attempts/{attempt_id}/verify",
    ):
        assert path in doc["paths"], path


def test_trainer_adds_a_late_candidate_to_a_shift(api, shift, people):
    trainer = api.as_("formateur")
    response = trainer.post(f"/shifts/{shift.id}/candidates", {"candidate_id": people["cand3"].id})
    assert response.status_code == 201
    assert response.get_json()["candidate"]["username"] == "candidat3"
    assert api.as_("candidat3").get("/me").get_json()["attempt"]["id"] == response.get_json()["id"]
    again = trainer.post(f"/shifts/{shift.id}/candidates", {"candidate_id": people["cand3"].id})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_in_shift"
    not_candidate = trainer.post(
        f"/shifts/{shift.id}/candidates", {"candidate_id": people["evaluator"].id}
    )
    assert not_candidate.status_code == 422
    assert "candidate_id" in not_candidate.get_json()["error"]["fields"]
    assert trainer.post("/shifts/999/candidates", {"candidate_id": 1}).status_code == 404
    assert (
        api.as_("candidat1")
        .post(f"/shifts/{shift.id}/candidates", {"candidate_id": people["cand3"].id})
        .status_code
        == 403
    )
