"""GET /attempts/<id>/kpis and /shifts/<id>/kpis: roles, 404, the JSON shape."""

from __future__ import annotations

from .kpi_desk import work_the_desk


def test_evaluator_reads_an_attempts_kpis(app, api, attempt, people):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    response = api.as_("jury").get(f"/attempts/{attempt.id}/kpis")
    assert response.status_code == 200
    body = response.get_json()
    assert body["attempt_id"] == attempt.id
    kpis = {k["key"]: k for k in body["kpis"]}
    basket = kpis["average_basket"]
    assert basket["value"] == "30.00"  # money as a string with two decimals
    assert basket["unit"] == "EUR"
    assert basket["figures"] == {"orders_total": "30.00", "orders": 1}
    assert basket["label"] == "Panier moyen (TTC)"
    assert basket["formula"].startswith("somme des totaux TTC")
    assert len(basket["actions"]) == 1
    assert kpis["handling_time"]["value"] == 95.0
    assert kpis["handling_time"]["display"] == "1 min 35 s"
    chat = kpis["deadline_compliance.chat"]
    assert (chat["value"], chat["measurable"], chat["display"]) == (None, False, "non mesurable")
    assert chat["channel"] == "chat"


def test_trainer_reads_a_shifts_kpis(api, shift, attempt):
    response = api.as_("formateur").get(f"/shifts/{shift.id}/kpis")
    assert response.status_code == 200
    body = response.get_json()
    assert body["shift_id"] == shift.id
    assert body["attempt_ids"] == [attempt.id]
    assert {k["key"]: k["value"] for k in body["kpis"]}["contacts"] == 0


def test_candidate_is_refused_and_unknown_ids_are_404(api, shift, attempt):
    candidate = api.as_("candidat1")
    assert candidate.get(f"/attempts/{attempt.id}/kpis").status_code == 403
    assert candidate.get(f"/shifts/{shift.id}/kpis").status_code == 403
    jury = api.as_("jury")
    missing = jury.get("/attempts/999999/kpis")
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "not_found"
    assert jury.get("/shifts/999999/kpis").status_code == 404
    assert api.get(f"/attempts/{attempt.id}/kpis").status_code == 401


def test_kpi_endpoints_are_in_the_openapi_document(api, shift):
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/attempts/{attempt_id}/kpis"]
    assert "get" in paths["/api/v1/shifts/{shift_id}/kpis"]
