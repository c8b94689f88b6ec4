"""Events on demand: scripted or free, recorded as the trainer's action, refused when they must."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.training.services import change_shift_status
from crm.training.timeline import TimelineEvent
from softphone.scenarios.scheduler import tick
from tests.softphone.room.conftest import KNOWN_PHONE

SCRIPTED_CALL = "appel-commande-rupture"
SCRIPTED_SMS = "sms-suivi-commande"


def _last(attempt, n=2) -> list[Action]:
    rows = db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id)
        .order_by(Action.seq.desc())
        .limit(n)
    ).all()
    return list(reversed(rows))


def test_the_scenarios_events_are_listed_with_their_persona(trainer, jury, cand, shift):
    listing = trainer.get(f"/shifts/{shift.id}/events").get_json()
    event = next(e for e in listing["items"] if e["key"] == SCRIPTED_CALL)
    assert event["kind"] == "call" and event["persona"] == "Nicolas Guillot" and event["preview"]
    assert jury.get(f"/shifts/{shift.id}/events").status_code == 200
    assert cand.get(f"/shifts/{shift.id}/events").status_code == 403


def test_a_free_call_rings_and_is_the_trainers_action(trainer, cand, shift, attempt, people):
    cand.post("/phone/state", {"state": "ready"})
    body = {"kind": "call", "party": KNOWN_PHONE, "body": "Bonjour, c'est pour une commande."}
    answer = trainer.post(f"/attempts/{attempt.id}/inject", body)
    assert answer.status_code == 201, answer.get_json()
    call = answer.get_json()["call"]
    assert call["status"] == "ringing" and call["scripted"] is True
    offered, injected = _last(attempt)
    assert offered.verb == "call.offered" and offered.actor_role == "customer"
    assert injected.verb == "trainer.injected"
    assert (injected.actor_id, injected.actor_role) == (people["trainer"].id, "trainer")
    assert injected.payload["source"] == "free" and injected.payload["call_id"] == call["id"]
    assert injected.payload["body"] == "Bonjour, c'est pour une commande."
    # The candidate hears the customer's first line when answering.
    answered = cand.post(f"/calls/{call['id']}/answer").get_json()
    assert "Bonjour, c'est pour une commande." in [t["text"] for t in answered["transcript"]]


def test_a_scripted_call_is_claimed_and_never_fires_again(trainer, cand, shift, attempt, clock):
    cand.post("/phone/state", {"state": "ready"})
    answer = trainer.post(f"/attempts/{attempt.id}/inject", {"event": SCRIPTED_CALL})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["call"]["script"] == SCRIPTED_CALL
    injected = _last(attempt, 1)[0]
    assert injected.payload["source"] == "scripted"
    assert injected.payload["persona"] == "Nicolas Guillot"
    assert injected.payload["event"] == SCRIPTED_CALL
    row = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == SCRIPTED_CALL
        )
    )
    assert row.fired_at is not None and row.result["status"] == "injected"
    clock.advance(3600)
    report = tick(clock())
    assert SCRIPTED_CALL not in report.fired + report.queued


def test_a_scripted_message_brings_its_correspondent(trainer, shift, attempt):
    first = trainer.post(f"/attempts/{attempt.id}/inject", {"event": SCRIPTED_SMS})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["conversation"]["channel"] == "sms"
    row = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == SCRIPTED_SMS
        )
    )
    assert row.customer_state and row.customer_state["channel"] == "sms"
    # Played a second time: a row of its own, the first one untouched.
    again = trainer.post(f"/attempts/{attempt.id}/inject", {"event": SCRIPTED_SMS})
    assert again.status_code == 201
    assert _last(attempt, 1)[0].payload["played_as"] == f"{SCRIPTED_SMS}@2"


def test_free_messages_on_every_channel(trainer, shift, attempt):
    for body in (
        {"kind": "email", "party": "client@exemple.fr", "subject": "Facture", "body": "Bonjour"},
        {"kind": "sms", "party": "06 39 98 40 22", "body": "Rappelez-moi"},
        {"kind": "chat", "party": "Léa", "body": "Vous êtes là ?"},
    ):
        answer = trainer.post(f"/attempts/{attempt.id}/inject", body)
        assert answer.status_code == 201, answer.get_json()
        assert answer.get_json()["conversation"]["channel"] == body["kind"]
        received, injected = _last(attempt)
        assert received.verb == "message.received" and injected.verb == "trainer.injected"
        assert injected.payload["kind"] == body["kind"]


def test_refusals(api, trainer, cand, jury, shift, attempt):
    path = f"/attempts/{attempt.id}/inject"
    body = {"kind": "sms", "party": "06 39 98 40 22", "body": "Bonjour"}
    assert api.post(path, body).status_code == 401
    assert cand.post(path, body).status_code == 403
    assert jury.post(path, body).status_code == 403
    assert trainer.post("/attempts/999999/inject", body).status_code == 404
    for bad, fields in (
        ({}, {"kind"}),
        ({"kind": "fax", "party": "x", "body": "y"}, {"kind"}),
        ({"kind": "sms", "party": "pas un numéro", "body": "y"}, {"party"}),
        ({"kind": "email", "party": "client@exemple.fr", "body": ""}, {"body"}),
        ({"kind": "call", "party": "123"}, {"party"}),
        ({"event": "nulle-part"}, {"event"}),
        ({"kind": "sms", "party": "06 39 98 40 22", "body": "y", "language": "de"}, {"language"}),
    ):
        refused = trainer.post(path, bad)
        assert refused.status_code == 422, (bad, refused.get_json())
        error = refused.get_json()["error"]
        assert set(error["fields"]) == fields, (bad, error)
        assert all(error["fields"].values())
    # The phone cannot ring while the candidate is offline: a clear 409, nothing recorded.
    before = attempt.action_count
    busy = trainer.post(path, {"kind": "call", "party": KNOWN_PHONE})
    assert busy.status_code == 409 and busy.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(type(attempt), attempt.id).action_count == before


def test_nothing_reaches_an_ended_shift(trainer, shift, attempt):
    change_shift_status(shift, "end")
    db.session.commit()
    for path, body in (
        (f"/attempts/{attempt.id}/inject", {"kind": "sms", "party": "0639984022", "body": "x"}),
        (f"/attempts/{attempt.id}/inbound-calls", {"number": KNOWN_PHONE}),
        (
            f"/attempts/{attempt.id}/messages",
            {"channel": "sms", "party": "0639984022", "body": "x"},
        ),
    ):
        refused = trainer.post(path, body)
        assert refused.status_code == 409, path
        assert refused.get_json()["error"]["code"] == "attempt_not_running"


def test_the_older_endpoints_record_the_injection_too(trainer, cand, shift, attempt, people):
    cand.post("/phone/state", {"state": "ready"})
    rung = trainer.post(f"/attempts/{attempt.id}/inbound-calls", {"number": KNOWN_PHONE})
    assert rung.status_code == 201
    assert [a.verb for a in _last(attempt)] == ["call.offered", "trainer.injected"]
    bad = trainer.post(f"/attempts/{attempt.id}/inbound-calls", {"number": "123"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"number"}


def test_the_evaluators_timeline_shows_the_injection(client, login, trainer, shift, attempt):
    trainer.post(
        f"/attempts/{attempt.id}/inject", {"kind": "sms", "party": "0639984022", "body": "x"}
    )
    login("jury")
    html = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "Événement déclenché par le formateur" in html
