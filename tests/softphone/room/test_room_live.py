"""GET /api/v1/shifts/{id}/live: one tile per candidate, its alerts, its cost, who may read it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from crm.db import db
from crm.training.services import add_candidate, change_shift_status
from tests.softphone.room.conftest import KNOWN_PHONE


def _tile(answer: dict, attempt_id: int) -> dict:
    return next(t for t in answer["items"] if t["attempt_id"] == attempt_id)


def test_who_may_read_the_room(api, trainer, cand, jury, shift):
    path = f"/shifts/{shift.id}/live"
    assert api.get(path).status_code == 401
    assert cand.get(path).status_code == 403
    assert jury.get(path).status_code == 200
    assert trainer.get(path).status_code == 200
    missing = trainer.get("/shifts/999999/live")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_a_tile_follows_the_candidate(trainer, cand, shift, attempt, people, clock):
    answer = trainer.get(f"/shifts/{shift.id}/live").get_json()
    assert answer["total"] == 1 and answer["shift"]["id"] == shift.id
    tile = _tile(answer, attempt.id)
    assert tile["candidate"]["username"] == "candidat1"
    assert tile["phone"]["state"] == "offline" and tile["current"] is None
    assert tile["last_action"]["verb"] == "attempt.started"
    assert tile["last_action"]["label"] == "Tentative créée à partir du scénario"

    assert cand.post("/phone/state", {"state": "ready"}).status_code == 200
    rung = trainer.post(f"/attempts/{attempt.id}/inject", {"kind": "call", "party": KNOWN_PHONE})
    assert rung.status_code == 201, rung.get_json()
    call_id = rung.get_json()["call"]["id"]
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert tile["phone"]["state"] == "ringing"
    assert tile["current"]["kind"] == "call" and tile["current"]["status"] == "ringing"
    assert tile["current"]["customer"]  # the screen pop found the client
    assert tile["last_action"]["verb"] == "trainer.injected"
    assert tile["last_action"]["actor_role"] == "trainer"

    assert cand.post(f"/calls/{call_id}/answer").status_code == 200
    clock.advance(5)
    assert cand.post(f"/calls/{call_id}/hold").status_code == 200
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert tile["phone"]["state"] == "on_hold" and tile["current"]["on_hold"] is True
    assert tile["counts"]["to_qualify"] == 1
    assert tile["alerts"] == []

    clock.advance(61)  # ROOM_HOLD_ALERT_SECONDS is 60
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    [alert] = tile["alerts"]
    assert alert["code"] == "customer_waiting" and alert["level"] == "bad"
    assert alert["detail"] == {"kind": "hold", "n": 61}
    assert "61" in alert["message"]


def test_wrap_up_over_the_campaign_maximum(trainer, cand, shift, attempt, clock):
    cand.post("/phone/state", {"state": "ready"})
    call = trainer.post(f"/attempts/{attempt.id}/inject", {"kind": "call", "party": KNOWN_PHONE})
    call_id = call.get_json()["call"]["id"]
    cand.post(f"/calls/{call_id}/answer")
    assert cand.post(f"/calls/{call_id}/hangup").status_code == 200
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert tile["phone"]["state"] == "wrap_up"
    maximum = tile["wrap_up"]["max_seconds"]
    assert maximum and tile["alerts"] == []
    clock.advance(maximum + 1)
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert [a["code"] for a in tile["alerts"]] == ["wrap_up_over"]
    assert tile["alerts"][0]["detail"]["max"] == maximum


def test_idle_after_the_configured_minutes_only_while_running(app, trainer, shift, attempt, clock):
    app.config["ROOM_IDLE_MINUTES"] = 2
    clock.advance(119)
    assert _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)["alerts"] == []
    clock.advance(2)
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert [(a["code"], a["detail"]["n"]) for a in tile["alerts"]] == [("idle", 2)]
    change_shift_status(shift, "pause")
    db.session.commit()
    assert _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)["alerts"] == []


def test_messages_past_their_deadline_are_counted(trainer, shift, attempt, clock):
    sms = {"kind": "sms", "party": "06 39 98 40 22", "body": "Ma commande ?"}
    assert trainer.post(f"/attempts/{attempt.id}/inject", sms).status_code == 201
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert tile["counts"]["waiting_messages"] == 1 and tile["counts"]["overdue_messages"] == 0
    # Past the SMS deadline (4 h), within the API token's life (12 h): the one clock ages both.
    clock.advance(5 * 3600)
    tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
    assert tile["counts"]["overdue_messages"] == 1
    assert "messages_overdue" in [a["code"] for a in tile["alerts"]]


def test_overdue_messages_are_counted_with_a_real_plural(trainer, shift, attempt, clock):
    sms = {"kind": "sms", "party": "06 39 98 40 22", "body": "Ma commande ?"}
    assert trainer.post(f"/attempts/{attempt.id}/inject", sms).status_code == 201
    # Past the SMS deadline (4 h) each time, within the API token's life (12 h) in all.
    clock.advance(5 * 3600)

    def message() -> str:
        tile = _tile(trainer.get(f"/shifts/{shift.id}/live").get_json(), attempt.id)
        return next(a["message"] for a in tile["alerts"] if a["code"] == "messages_overdue")

    assert message() == "1 message hors délai"
    other = {**sms, "party": "06 11 22 33 44"}  # another conversation
    assert trainer.post(f"/attempts/{attempt.id}/inject", other).status_code == 201
    clock.advance(5 * 3600)
    assert message() == "2 messages hors délai"


def _statements(app, callback):
    """How many SQL statements `callback` runs."""
    count = 0

    def counter(*_args, **_kwargs):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        callback()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count


def test_the_room_costs_the_same_queries_for_one_or_three_candidates(
    app, trainer, shift, people, clock
):
    from softphone.room.live import live_room

    def room():
        db.session.expire_all()
        live_room(db.session.get(type(shift), shift.id), clock())

    db.session.commit()  # each count starts a transaction of its own (its BEGIN counted)
    one = _statements(app, room)
    for name in ("cand2", "cand3"):
        add_candidate(shift, people[name], people["trainer"])
    db.session.commit()
    three = _statements(app, room)
    assert len(trainer.get(f"/shifts/{shift.id}/live").get_json()["items"]) == 3
    assert three == one, (one, three)


def test_reading_the_room_records_nothing(trainer, jury, shift, attempt):
    before = db.session.scalar(
        sa.select(type(attempt).action_count).where(type(attempt).id == attempt.id)
    )
    trainer.get(f"/shifts/{shift.id}/live")
    jury.get(f"/shifts/{shift.id}/live")
    db.session.expire_all()
    assert db.session.get(type(attempt), attempt.id).action_count == before


def test_the_openapi_document_describes_the_room(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/shifts/{shift_id}/live",
        "/api/v1/shifts/{shift_id}/events",
        "/api/v1/attempts/{attempt_id}/desk",
        "/api/v1/attempts/{attempt_id}/inject",
    ):
        assert path in paths
    live = paths["/api/v1/shifts/{shift_id}/live"]["get"]
    assert "alerts" in live["description"] and "attempt_id" in live["description"]
    body = paths["/api/v1/attempts/{attempt_id}/inject"]["post"]["requestBody"]
    props = body["content"]["application/json"]["schema"]["properties"]
    assert {"event", "kind", "party", "body", "subject", "language"} <= set(props)
