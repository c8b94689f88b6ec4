"""A customer played by a person in a written conversation: the script silent, the role-player
writing, the candidate reading; and the refusals."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.training.timeline import TimelineEvent
from softphone.scenarios.scheduler import tick

SCRIPTED_CHAT = "chat-casque-teletravail"


def _inject_chat(trainer, attempt):
    answer = trainer.post(f"/attempts/{attempt.id}/inject", {"event": SCRIPTED_CHAT})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["conversation"]["id"]


def _queued_replies(attempt) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.kind == "reply"
        )
    )


def test_in_a_live_shift_the_role_player_writes_the_customers_answers(
    trainer, cand, live, attempt, people
):
    conversation_id = _inject_chat(trainer, attempt)
    sent = cand.post(
        f"/conversations/{conversation_id}/reply", {"body": "Bonjour, nous avons le modèle H340."}
    )
    assert sent.status_code in (200, 201), sent.get_json()
    assert _queued_replies(attempt) == 0  # the script writes nothing in a live shift
    items = trainer.get(f"/shifts/{live.id}/roleplay").get_json()["items"]
    item = next(i for i in items if i["kind"] == "conversation" and i["id"] == conversation_id)
    assert item["customer_turn"] is True and item["persona"] == "Léa Girard"
    assert item["scripted"] is False and item["channel"] == "chat"

    taken = trainer.post(f"/roleplay/conversations/{conversation_id}/take")
    assert taken.status_code == 200, taken.get_json()
    assert taken.get_json()["persona"]["name"] == "Léa Girard"
    written = trainer.post(
        f"/conversations/{conversation_id}/customer-reply", {"body": "Il coûte combien ?"}
    )
    assert written.status_code == 201, written.get_json()
    assert written.get_json()["conversation"]["id"] == conversation_id
    bodies = [
        m["body"] for m in cand.get(f"/conversations/{conversation_id}").get_json()["messages"]
    ]
    assert bodies[-2:] == ["Bonjour, nous avons le modèle H340.", "Il coûte combien ?"]
    received = db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id, Action.verb == "message.received")
        .order_by(Action.seq.desc())
    ).first()
    assert (received.actor_id, received.actor_role) == (people["trainer"].id, "customer")


def test_taking_over_a_scripted_correspondent_silences_it(trainer, cand, shift, attempt, clock):
    conversation_id = _inject_chat(trainer, attempt)
    cand.post(
        f"/conversations/{conversation_id}/reply", {"body": "Nous avons un casque bluetooth."}
    )
    queued = _queued_replies(attempt)
    assert queued > 0, "the scripted correspondent answers in a scripted shift"
    assert trainer.post(f"/roleplay/conversations/{conversation_id}/take").status_code == 200
    cand.post(
        f"/conversations/{conversation_id}/reply", {"body": "Il coûte 40 euros, livré en 2 jours."}
    )
    assert _queued_replies(attempt) == queued  # nothing more queued
    clock.advance(3600)
    tick(clock())
    messages = cand.get(f"/conversations/{conversation_id}").get_json()["messages"]
    # What the script had queued before the take-over is not delivered either.
    assert [m["direction"] for m in messages] == ["in", "out", "out"]


def test_conversation_refusals(trainer, jury, cand, live, attempt):
    conversation_id = _inject_chat(trainer, attempt)
    untaken = trainer.post(f"/conversations/{conversation_id}/customer-reply", {"body": "Allô"})
    assert untaken.status_code == 409 and untaken.get_json()["error"]["code"] == "not_taken"
    assert jury.post(f"/roleplay/conversations/{conversation_id}/take").status_code == 200
    other = trainer.post(f"/roleplay/conversations/{conversation_id}/take")
    assert other.status_code == 409 and other.get_json()["error"]["code"] == "taken"
    for body in ({}, {"body": ""}, {"body": "  "}, {"body": "x" * 20001}):
        answer = jury.post(f"/conversations/{conversation_id}/customer-reply", body)
        assert answer.status_code == 422 and "body" in answer.get_json()["error"]["fields"], body
    for path in (f"/roleplay/conversations/{conversation_id}/take",):
        assert cand.post(path).status_code == 403
    assert (
        cand.post(f"/conversations/{conversation_id}/customer-reply", {"body": "x"}).status_code
        == 403
    )
    assert cand.get(f"/roleplay/conversations/{conversation_id}").status_code == 403


def test_an_injected_email_is_answered_in_the_same_thread(trainer, cand, live, attempt):
    injected = trainer.post(
        f"/attempts/{attempt.id}/inject",
        {
            "kind": "email",
            "party": "contact@cabinet-morel.example",
            "subject": "Facture de novembre",
            "body": "Bonjour, pouvez-vous me renvoyer la facture ?",
        },
    )
    conversation_id = injected.get_json()["conversation"]["id"]
    cand.post(f"/conversations/{conversation_id}/reply", {"body": "Bonjour, la voici."})
    trainer.post(f"/roleplay/conversations/{conversation_id}/take")
    written = trainer.post(
        f"/conversations/{conversation_id}/customer-reply", {"body": "Merci, bien reçue."}
    )
    assert written.status_code == 201, written.get_json()
    assert written.get_json()["conversation"]["id"] == conversation_id
    messages = cand.get(f"/conversations/{conversation_id}").get_json()["messages"]
    assert [m["body"] for m in messages][-1] == "Merci, bien reçue."
    listed = trainer.get(f"/shifts/{live.id}/roleplay").get_json()["items"]
    item = next(i for i in listed if i["kind"] == "conversation" and i["id"] == conversation_id)
    assert item["customer_turn"] is False and item["client"]["name"]
