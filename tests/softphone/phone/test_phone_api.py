"""Phone API: every endpoint, with its refusals (400, 401, 403, 404, 409, 422)."""

from __future__ import annotations

from datetime import datetime, time

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.contacts.agenda import PARIS
from crm.db import db
from softphone.phone.models import Call

SCRIPT = {
    "key": "info-horaires",
    "persona": {"name": "M. Petit", "temper": "calm"},
    "steps": [
        {
            "type": "wait_for_words",
            "say": "Bonjour, vous ouvrez à quelle heure ?",
            "words": ["9 h"],
        },
        {"type": "end", "say": "Merci, au revoir."},
    ],
}


@pytest.fixture
def cand(api, shift, clock, caller):
    """cand1's API client (running shift, fixed clock, a known caller)."""
    return api.as_("candidat1")


@pytest.fixture
def trainer(api, shift):
    """The trainer's API client."""
    return api.as_("formateur")


def ring(trainer, attempt_id: int, **body):
    """Offer an inbound call to an attempt; the call's JSON."""
    response = trainer.post(
        f"/attempts/{attempt_id}/inbound-calls", {"number": "04 99 00 00 01", **body}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def error(response, status: int) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


def verbs(attempt_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb).where(Action.attempt_id == attempt_id).order_by(Action.seq)
        )
    )


def test_authentication_and_roles(api, shift, trainer):
    assert error(api.get("/phone"), 401)["code"] == "unauthorized"
    assert error(api.post("/calls", {"number": "0499000001"}), 401)["code"] == "unauthorized"
    assert error(trainer.get("/phone"), 403)["code"] == "forbidden"
    assert error(trainer.post("/phone/state", {"state": "ready"}), 403)["code"] == "forbidden"
    assert error(api.as_("candidat3").get("/phone"), 404)["code"] == "no_attempt"
    candidate = api.as_("candidat1")
    body = {"number": "0499000001"}
    assert error(candidate.post("/attempts/1/inbound-calls", body), 403)["code"] == "forbidden"


def test_phone_state_round_trip(cand, clock):
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "offline" and phone["call"] is None
    assert phone["pause_reasons"] == ["Pause", "Formation", "Réunion", "Administratif"]
    assert {"key": "comptabilite", "label": "Comptabilité"} in phone["transfer_targets"]
    response = cand.post("/phone/state", {"state": "ready"})
    assert response.status_code == 200
    clock.advance(12)
    phone = cand.get("/phone").get_json()
    assert (phone["state"], phone["seconds_in_state"]) == ("ready", 12.0)
    paused = cand.post("/phone/state", {"state": "pause", "reason": "Réunion"}).get_json()
    assert (paused["state"], paused["pause_reason"]) == ("pause", "Réunion")


def test_phone_state_refusals(cand, attempt):
    assert error(cand.post("/phone/state", {"state": "busy"}), 422)["fields"].keys() == {"state"}
    assert "state" in error(cand.post("/phone/state", {}), 422)["fields"]
    cand.post("/phone/state", {"state": "ready"})
    fields = error(cand.post("/phone/state", {"state": "pause", "reason": "Sieste"}), 422)["fields"]
    assert "Formation" in fields["reason"]
    response = cand.client.post(
        "/api/v1/phone/state",
        data="{not json",
        headers={**cand._headers(), "Content-Type": "application/json"},
    )
    assert error(response, 400)["code"] == "malformed_json"
    cand.post("/phone/state", {"state": "offline"})
    assert error(cand.post("/phone/state", {"state": "offline"}), 409)["code"] == (
        "invalid_transition"
    )
    assert verbs(attempt.id)[-2:] == ["agent.logged_on", "agent.logged_off"]


def test_trainer_rings_an_attempt(cand, trainer, attempt, caller):
    assert error(ring_raw(trainer, attempt.id), 409)["code"] == "invalid_transition"  # offline
    cand.post("/phone/state", {"state": "ready"})
    call = ring(trainer, attempt.id, script=SCRIPT)
    assert (call["status"], call["client_id"], call["scripted"]) == ("ringing", caller.id, True)
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "ringing" and phone["call"]["id"] == call["id"]


def ring_raw(trainer, attempt_id: int, body=None):
    return trainer.post(
        f"/attempts/{attempt_id}/inbound-calls", body or {"number": "04 99 00 00 01"}
    )


def test_inbound_call_refusals(cand, trainer, attempt):
    assert error(ring_raw(trainer, 999_999), 404)["code"] == "not_found"
    cand.post("/phone/state", {"state": "ready"})
    assert "number" in error(ring_raw(trainer, attempt.id, {"number": "abc"}), 422)["fields"]
    body = {"number": "0499000001", "script": "commande"}
    assert "script" in error(ring_raw(trainer, attempt.id, body), 422)["fields"]
    body = {"number": "0499000001", "script": {"persona": {"name": "X"}, "steps": []}}
    assert "script.steps" in error(ring_raw(trainer, attempt.id, body), 422)["fields"]["script"]
    attempt.status = "superseded"
    db.session.commit()
    # One injection service for calls and messages: one refusal for an attempt not running.
    assert error(ring_raw(trainer, attempt.id), 409)["code"] == "attempt_not_running"


def test_a_scripted_call_end_to_end(cand, trainer, attempt, caller, clock):
    cand.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, attempt.id, script=SCRIPT)["id"]
    clock.advance(4)
    answered = cand.post(f"/calls/{call_id}/answer")
    assert answered.status_code == 200
    body = answered.get_json()
    assert body["status"] == "on_call" and body["client_id"] == caller.id
    assert body["contact_id"] and body["ring_seconds"] == 4.0
    assert body["replies"] == ["Bonjour, vous ouvrez à quelle heure ?"]
    clock.advance(10)
    held = cand.post(f"/calls/{call_id}/hold").get_json()
    assert held["status"] == "on_hold"
    assert error(cand.post(f"/calls/{call_id}/say", {"text": "Allô"}), 409)["code"] == (
        "call_not_connected"
    )
    clock.advance(20)
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "on_hold"
    assert (phone["call"]["hold_seconds"], phone["call"]["talk_seconds"]) == (20.0, 10.0)
    assert cand.post(f"/calls/{call_id}/resume").get_json()["hold_seconds"] == 20.0
    said = cand.post(f"/calls/{call_id}/say", {"text": "Nous ouvrons à 9 h."}).get_json()
    assert said["replies"] == ["Merci, au revoir."] and not said["ended"]
    assert [t["speaker"] for t in said["call"]["transcript"]] == ["customer", "agent", "customer"]
    ended = cand.post(f"/calls/{call_id}/hangup").get_json()
    assert ended["status"] == "ended" and ended["ended_by"] == "agent"
    phone = cand.get("/phone").get_json()
    assert phone["state"] == "wrap_up" and phone["open_contact_id"] == body["contact_id"]
    qualified = cand.post(
        f"/contacts/{body['contact_id']}/qualify", {"code": "INFO", "note": "Horaires donnés."}
    )
    assert qualified.status_code == 200, qualified.get_json()
    assert cand.get("/phone").get_json()["state"] == "ready"
    shown = cand.get(f"/calls/{call_id}").get_json()
    assert shown["contact_id"] == body["contact_id"] and len(shown["transcript"]) == 3
    assert verbs(attempt.id)[-4:] == [
        "call.customer_said",
        "call.ended",
        "contact.qualified",
        "agent.state_changed",
    ]


def test_call_transitions_refused(cand, trainer, attempt):
    cand.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, attempt.id)["id"]
    for action in ("hold", "resume", "hangup"):
        assert error(cand.post(f"/calls/{call_id}/{action}"), 409)["code"] == ("invalid_transition")
    cand.post(f"/calls/{call_id}/answer")
    assert error(cand.post(f"/calls/{call_id}/answer"), 409)["code"] == "invalid_transition"
    assert error(cand.post(f"/calls/{call_id}/resume"), 409)["code"] == "invalid_transition"


def test_transfer(cand, trainer, attempt):
    cand.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, attempt.id)["id"]
    cand.post(f"/calls/{call_id}/answer")
    assert set(error(cand.post(f"/calls/{call_id}/transfer", {}), 422)["fields"]) == {
        "target",
        "mode",
    }
    body = {"target": "x", "mode": "loud"}
    fields = error(cand.post(f"/calls/{call_id}/transfer", body), 422)["fields"]
    assert set(fields) == {"target", "mode"}
    response = cand.post(
        f"/calls/{call_id}/transfer", {"target": "comptabilite", "mode": "consult"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "transferred" and body["transferred_to"] == "comptabilite"
    assert body["colleague_reply"].startswith("Comptabilité, bonjour")
    assert body["transcript"][-1]["speaker"] == "system"


def test_say_refusals(cand, trainer, attempt):
    cand.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, attempt.id)["id"]
    cand.post(f"/calls/{call_id}/answer")
    assert "text" in error(cand.post(f"/calls/{call_id}/say", {}), 422)["fields"]
    assert "text" in error(cand.post(f"/calls/{call_id}/say", {"text": 3}), 422)["fields"]
    ok = cand.post(f"/calls/{call_id}/say", {"text": "Bonjour"})
    assert ok.status_code == 200 and ok.get_json()["replies"] == []


def test_another_attempts_call_is_404(cand, api, trainer, other_attempt, attempt):
    other = api.as_("candidat2")
    other.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, other_attempt.id)["id"]
    for path in ("answer", "hold", "resume", "hangup"):
        assert error(cand.post(f"/calls/{call_id}/{path}"), 404)["code"] == "not_found"
    assert error(cand.get(f"/calls/{call_id}"), 404)["code"] == "not_found"
    assert error(cand.post(f"/calls/{call_id}/say", {"text": "x"}), 404)["code"] == "not_found"
    body = {"target": "superviseur", "mode": "blind"}
    assert error(cand.post(f"/calls/{call_id}/transfer", body), 404)["code"] == "not_found"
    assert cand.get("/calls").get_json() == {"items": [], "total": 0}
    assert db.session.get(Call, call_id).status == "ringing"


def test_dial_and_the_calling_rules(cand, attempt, caller, clock):
    cand.post("/phone/state", {"state": "ready"})
    assert "number" in error(cand.post("/calls", {"number": "demain"}), 422)["fields"]
    assert "number" in error(cand.post("/calls", {}), 422)["fields"]
    body = {"number": "0499000001", "acknowledge_rules": "yes"}
    assert "acknowledge_rules" in error(cand.post("/calls", body), 422)["fields"]
    lunch = datetime.combine(clock.now.astimezone(PARIS).date(), time(13, 15), PARIS)
    clock.set(lunch)
    refused = error(cand.post("/calls", {"number": "04 99 00 00 01"}), 409)
    assert refused["code"] == "calling_rules"
    assert refused["breaches"][0]["rule"] == "calling_window"
    assert "acknowledge_rules" in refused["message"]
    assert verbs(attempt.id)[-1] == "call.rules_warned"  # committed before the 409
    response = cand.post("/calls", {"number": "04 99 00 00 01", "acknowledge_rules": True})
    assert response.status_code == 201
    call = response.get_json()
    assert (call["direction"], call["status"], call["client_id"]) == (
        "outbound",
        "on_call",
        caller.id,
    )
    assert [b["rule"] for b in call["breaches"]] == ["calling_window"]
    assert verbs(attempt.id)[-3:] == ["contact.opened", "call.dialed", "call.rules_breached"]
    listed = cand.get("/calls", status="on_call").get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == call["id"]
    assert "status" in error(cand.get("/calls", status="busy"), 422)["fields"]
    cand.post(f"/calls/{call['id']}/hangup")
    conflict = error(cand.post("/calls", {"number": "04 99 00 00 01"}), 409)
    assert conflict["code"] == "contact_not_qualified"
    assert conflict["contact_id"] == call["contact_id"]


def test_a_do_not_call_client_warns_then_the_breach_is_recorded(cand, attempt, caller):
    caller.do_not_call = True
    db.session.commit()
    cand.post("/phone/state", {"state": "ready"})
    refused = error(cand.post("/calls", {"number": "04 99 00 00 01"}), 409)
    assert [b["rule"] for b in refused["breaches"]] == ["do_not_call"]
    assert refused["breaches"][0]["severe"] is True and "acknowledge_rules" in refused["message"]
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 0
    assert verbs(attempt.id)[-1] == "call.rules_warned"
    body = {"number": "04 99 00 00 01", "acknowledge_rules": True}
    call = cand.post("/calls", body).get_json()
    assert call["client_id"] == caller.id and call["breaches"][0]["rule"] == "do_not_call"
    breached = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()
    assert breached.verb == "call.rules_breached"
    assert breached.payload["breaches"][0]["rule"] == "do_not_call"


def test_the_openapi_document_lists_the_phone(api, shift):
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/calls/{call_id}/transfer"]
    assert paths["/api/v1/phone"]["get"]["tags"] == ["Phone"]
    assert "/api/v1/attempts/{attempt_id}/inbound-calls" in paths


CANDIDATE_ENDPOINTS = [
    ("get", "/phone", None),
    ("post", "/phone/state", {"state": "ready"}),
    ("get", "/calls", None),
    ("post", "/calls", {"number": "0499000001"}),
    ("get", "/calls/1", None),
    ("post", "/calls/1/answer", None),
    ("post", "/calls/1/hold", None),
    ("post", "/calls/1/resume", None),
    ("post", "/calls/1/hangup", None),
    ("post", "/calls/1/transfer", {"target": "superviseur", "mode": "blind"}),
    ("post", "/calls/1/say", {"text": "Bonjour"}),
]


def _send(client, method: str, path: str, body):
    return client.get(path) if method == "get" else client.post(path, body)


@pytest.mark.parametrize(("method", "path", "body"), CANDIDATE_ENDPOINTS)
def test_every_endpoint_needs_a_token(api, method, path, body):
    assert error(_send(api, method, path, body), 401)["code"] == "unauthorized"


#: Trainers and evaluators read any call too (API.md: the trainer/evaluator of its shift).
READ_BY_ALL = {("get", "/calls/1")}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [e for e in CANDIDATE_ENDPOINTS if (e[0], e[1]) not in READ_BY_ALL],
)
def test_every_candidate_endpoint_refuses_other_roles(api, people, method, path, body):
    for username in ("formateur", "jury"):
        response = _send(api.as_(username), method, path, body)
        assert error(response, 403)["code"] == "forbidden"


@pytest.mark.parametrize(
    "path",
    ["/phone/state", "/calls", "/calls/{call}/transfer", "/calls/{call}/say", "/inbound"],
)
def test_malformed_json_is_400(cand, trainer, attempt, path):
    cand.post("/phone/state", {"state": "ready"})
    call_id = ring(trainer, attempt.id)["id"]
    cand.post(f"/calls/{call_id}/answer")
    who = trainer if path == "/inbound" else cand
    url = f"/attempts/{attempt.id}/inbound-calls" if path == "/inbound" else path
    response = who.client.post(
        "/api/v1" + url.format(call=call_id),
        data="[1, 2",
        headers={**who._headers(), "Content-Type": "application/json"},
    )
    assert error(response, 400)["code"] == "malformed_json"


def test_the_desk_calls_with_its_session_and_csrf_header(client, login, csrf_from, shift, clock):
    login("candidat1")
    token = csrf_from(client.get("/clients").get_data(as_text=True))
    refused = client.post("/api/v1/phone/state", json={"state": "ready"})
    assert error(refused, 400)["code"] == "csrf"
    response = client.post(
        "/api/v1/phone/state", json={"state": "ready"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200 and response.get_json()["state"] == "ready"
    assert client.get("/api/v1/phone").get_json()["state"] == "ready"
