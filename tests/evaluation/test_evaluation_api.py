"""GET /api/v1/attempts/<id>/evaluation: the grid of a standard decided for an attempt."""

from __future__ import annotations

from crm.db import db
from crm.evaluation.standards import get_standard

REAC = "tp-crcd-reac-2011"


def test_evaluators_and_trainers_get_every_criterion_in_the_official_wording(api, attempt, desk):
    client = desk.client("C10013")
    desk.open(client)
    desk.verify(client)
    order = desk.order(client)
    desk.add(order, "PAP-A4-80-5", 1)
    desk.confirm(order)  # no additional sale offered, no recap read
    db.session.commit()
    answer = api.as_("jury").get(f"/attempts/{attempt.id}/evaluation", standard=REAC)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    standard = get_standard(REAC)
    assert body["standard"]["id"] == REAC
    assert [c["id"] for c in body["criteria"]] == [c.id for c in standard.criteria]
    by_id = {c["id"]: c for c in body["criteria"]}
    upsell = by_id["CP7-C4"]
    assert upsell["text"] == "La vente additionnelle est proposée de façon systématique"
    assert (upsell["competency"], upsell["mode"], upsell["status"]) == (
        "CP7",
        "automatic",
        "not_met",
    )
    assert upsell["evidence"] and order.number in upsell["explanation"]
    assert by_id["CP2-C2"]["status"] == "to_grade"
    assert set(by_id["CP2-C2"]) >= {"id", "competency", "text", "mode", "status", "evidence"}
    trainer = api.as_("formateur").get(f"/attempts/{attempt.id}/evaluation", standard=REAC)
    assert trainer.status_code == 200


def test_the_shifts_standard_is_the_default(api, attempt, shift):
    shift.standard = REAC
    db.session.commit()
    answer = api.as_("jury").get(f"/attempts/{attempt.id}/evaluation")
    assert answer.status_code == 200
    assert answer.get_json()["standard"]["id"] == REAC


def test_refusals(api, attempt, shift):
    jury = api.as_("jury")
    shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    missing = jury.get(f"/attempts/{attempt.id}/evaluation")
    assert missing.status_code == 422
    assert "standard" in missing.get_json()["error"]["fields"]
    unknown = jury.get(f"/attempts/{attempt.id}/evaluation", standard="reac-1999")
    assert unknown.status_code == 422
    assert "reac-1999" in unknown.get_json()["error"]["fields"]["standard"]
    assert jury.get("/attempts/99999/evaluation", standard=REAC).status_code == 404
    candidate = api.as_("candidat1").get(f"/attempts/{attempt.id}/evaluation", standard=REAC)
    assert candidate.status_code == 403
    assert api.get(f"/attempts/{attempt.id}/evaluation", standard=REAC).status_code == 401


def test_the_endpoint_is_documented(api, app):
    spec = api.get("/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/attempts/{attempt_id}/evaluation"]["get"]
    assert "Evaluator" in operation["tags"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert "provisional" in schema["required"]
    criterion = schema["properties"]["criteria"]["items"]
    assert {"met_ids", "not_met_ids", "provisional"} <= set(criterion["required"])


def test_a_running_shift_gives_provisional_verdicts_citing_both_sides(api, attempt, desk):
    client = desk.client("C10013")
    desk.open(client)
    desk.verify(client)
    desk.order(client)
    desk.qualify("INFO")
    desk.open(client)
    desk.order(client)  # no identity check this time
    db.session.commit()
    mc = "mc-acvad-referentiel-certification"
    body = api.as_("jury").get(f"/attempts/{attempt.id}/evaluation", standard=mc).get_json()
    assert body["provisional"] is True
    identity = next(c for c in body["criteria"] if c["id"] == "1.1-C3")
    assert (identity["status"], identity["provisional"]) == ("not_met", True)
    assert identity["met_ids"] and identity["not_met_ids"]
    assert set(identity["evidence"]) == set(identity["met_ids"]) | set(identity["not_met_ids"])
    attempt.shift.status = "ended"
    db.session.commit()
    body = api.as_("jury").get(f"/attempts/{attempt.id}/evaluation", standard=mc).get_json()
    assert body["provisional"] is False
    assert not any(c["provisional"] for c in body["criteria"])
