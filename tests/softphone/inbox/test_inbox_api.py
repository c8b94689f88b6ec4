"""The inbox API: every endpoint, its happy path and its refusals (401/403/404/409/422/400)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.db import db
from crm.knowledge.models import MessageTemplate

EMAIL = "amandine.roussel@free.example"


@pytest.fixture
def trainer(api, shift):
    """The trainer's API session."""
    return api.as_("formateur")


@pytest.fixture
def cand(api, shift):
    """candidat1's API session."""
    return api.as_("candidat1")


@pytest.fixture
def inject(trainer, attempt):
    """`inject(channel, party, body, …)`: the trainer plays a customer writing in; → JSON."""

    def send(channel="email", party=EMAIL, body="Où en est ma commande ?", attempt_id=None, **kw):
        response = trainer.post(
            f"/attempts/{attempt_id or attempt.id}/messages",
            {"channel": channel, "party": party, "body": body, **kw},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return send


def _raw(client, session, path):
    """A POST whose body is not JSON."""
    return client.post(
        "/api/v1" + path,
        data="{pas du json",
        headers={"Authorization": f"Bearer {session.token}", "Content-Type": "application/json"},
    )


def _verbs(attempt) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb).where(Action.attempt_id == attempt.id).order_by(Action.seq)
        )
    )


def test_trainer_injects_messages_and_only_the_trainer(
    api, client, trainer, cand, attempt, other_attempt
):
    path = f"/attempts/{attempt.id}/messages"
    body = {"channel": "email", "party": EMAIL, "body": "Bonjour", "subject": "Livraison"}
    assert api.post(path, body).status_code == 401
    assert cand.post(path, body).status_code == 403
    assert api.as_("jury").post(path, body).status_code == 403
    assert trainer.post("/attempts/999999/messages", body).status_code == 404
    assert _raw(client, trainer, path).status_code == 400
    refused = trainer.post(path, {**body, "party": "personne", "language": "de"})
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"party", "language"}
    unknown = trainer.post(path, {"channel": "fax"}).get_json()["error"]["fields"]
    assert set(unknown) == {"channel", "body"}
    created = trainer.post(path, body)
    assert created.status_code == 201
    answer = created.get_json()
    assert answer["new_conversation"] and answer["conversation"]["client_name"]
    assert answer["message"]["author"] == "customer"
    # The message arrives, then the trainer's injection is on record (softphone.room).
    assert _verbs(attempt)[-2:] == ["message.received", "trainer.injected"]
    other_attempt.status = "superseded"
    db.session.commit()
    conflict = trainer.post(f"/attempts/{other_attempt.id}/messages", body)
    assert conflict.status_code == 409
    assert conflict.get_json()["error"]["code"] == "attempt_not_running"


def test_inbox_lists_the_most_urgent_first_with_unread_counts(api, trainer, cand, inject, attempt):
    email = inject()["conversation"]
    sms = inject("sms", "06 39 98 40 22", "Rappelez-moi")["conversation"]
    assert api.get("/inbox").status_code == 401
    assert trainer.get("/inbox").status_code == 403
    listing = cand.get("/inbox").get_json()
    assert [c["id"] for c in listing["items"]] == [sms["id"], email["id"]]
    assert listing["total"] == 2 and listing["unread"] == {"email": 1, "sms": 1, "chat": 0}
    first = listing["items"][0]
    assert first["unread"] == 1 and 14000 < first["seconds_left"] <= 14400
    assert first["overdue"] is False and first["party"] == "+33639984022"
    assert cand.get("/inbox", channel="sms").get_json()["total"] == 1
    assert cand.get("/inbox", status="resolved").get_json()["total"] == 0
    refused = cand.get("/inbox", status="archived")
    assert refused.status_code == 422 and "status" in refused.get_json()["error"]["fields"]

    shown = cand.get(f"/conversations/{email['id']}")
    assert shown.status_code == 200
    detail = shown.get_json()
    assert [m["body"] for m in detail["messages"]] == ["Où en est ma commande ?"]
    assert detail["messages"][0]["read"] is True and detail["marked_read"] == 1
    assert _verbs(attempt)[-1] == "conversation.opened"
    after = cand.get("/inbox").get_json()
    assert after["unread"]["email"] == 0


def test_another_attempts_conversation_is_not_found(cand, inject, other_attempt):
    foreign = inject(attempt_id=other_attempt.id)["conversation"]["id"]
    assert cand.get(f"/conversations/{foreign}").status_code == 404
    assert cand.get("/conversations/999999").status_code == 404
    for action, body in (
        ("reply", {"body": "Bonjour"}),
        ("qualify", {"code": "INFO", "note": "x"}),
        ("link", {"client_id": 1}),
        ("status", {"status": "pending"}),
        ("take", {}),
    ):
        response = cand.post(f"/conversations/{foreign}/{action}", body)
        assert response.status_code == 404, action
        assert response.get_json()["error"]["code"] == "not_found"


def test_reply_from_text_or_template_and_its_refusals(client, cand, inject, attempt, other_attempt):
    conversation = inject(subject="Livraison")["conversation"]
    path = f"/conversations/{conversation['id']}/reply"
    assert _raw(client, cand, path).status_code == 400
    empty = cand.post(path, {"body": "  "})
    assert empty.status_code == 422 and "body" in empty.get_json()["error"]["fields"]
    bad = MessageTemplate(
        attempt_id=attempt.id,
        key="test-bad",
        name="Mauvais",
        channel="email",
        language="fr",
        subject="Objet",
        body="Bonjour {{ client.pointure }}",
    )
    db.session.add(bad)
    db.session.commit()
    refused = cand.post(path, {"template_id": bad.id})
    assert refused.status_code == 422
    assert "client.pointure" in refused.get_json()["error"]["fields"]["template_id"]
    listed = cand.post(path, {"body": "Voici", "attachment_ids": "cgv"})
    assert "attachment_ids" in listed.get_json()["error"]["fields"]
    foreign_client = db.session.scalar(
        sa.select(Client.id).where(Client.attempt_id == other_attempt.id)
    )
    assert cand.post(path, {"body": "Voici", "order_id": 999999}).status_code == 404
    assert foreign_client  # ids of another attempt are never reachable
    assert "message.sent" not in _verbs(attempt)

    sent = cand.post(path, {"body": "Bonjour Madame, votre colis part demain."})
    assert sent.status_code == 201
    message = sent.get_json()
    assert message["direction"] == "out" and message["subject"] == "Re : Livraison"
    assert message["within_deadline"] is True
    assert message["conversation"]["status"] == "pending"
    assert message["conversation"]["deadline_at"] is None
    assert _verbs(attempt)[-3:] == ["contact.opened", "conversation.taken", "message.sent"]


def test_link_status_qualify_and_take(api, cand, inject, attempt, other_attempt):
    chat = inject("chat", "Visiteur 5", "Bonjour")["conversation"]
    base = f"/conversations/{chat['id']}"
    roussel = db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt.id, Client.number == "C20003")
    )
    foreign = db.session.scalar(sa.select(Client.id).where(Client.attempt_id == other_attempt.id))
    assert "client_id" in cand.post(f"{base}/link", {}).get_json()["error"]["fields"]
    assert cand.post(f"{base}/link", {"client_id": foreign}).status_code == 404
    linked = cand.post(f"{base}/link", {"client_id": roussel.id})
    assert linked.status_code == 200 and linked.get_json()["client_id"] == roussel.id

    assert "status" in cand.post(f"{base}/status", {"status": "x"}).get_json()["error"]["fields"]
    closing = cand.post(f"{base}/status", {"status": "resolved"})
    assert closing.status_code == 409 and closing.get_json()["error"]["code"] == "not_qualified"
    assert cand.post(f"{base}/status", {"status": "pending"}).get_json()["status"] == "pending"
    again = cand.post(f"{base}/status", {"status": "pending"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"

    taken = cand.post(f"{base}/take")
    assert taken.status_code == 200 and taken.get_json()["contact_id"]
    other = inject("sms", "06 39 98 40 22", "Et moi ?")["conversation"]
    busy = cand.post(f"/conversations/{other['id']}/take")
    assert busy.status_code == 409 and busy.get_json()["error"]["code"] == "contact_open"

    missing = cand.post(f"{base}/qualify", {"code": "INFO"})
    assert missing.status_code == 422 and "note" in missing.get_json()["error"]["fields"]
    unknown = cand.post(f"{base}/qualify", {"code": "NIMPORTE", "note": "Réponse donnée"})
    assert unknown.status_code == 422 and "code" in unknown.get_json()["error"]["fields"]
    done = cand.post(f"{base}/qualify", {"code": "INFO", "note": "Horaires donnés"})
    assert done.status_code == 200
    assert done.get_json()["status"] == "resolved" and done.get_json()["qualified"] is True
    twice = cand.post(f"{base}/qualify", {"code": "INFO", "note": "Encore"})
    assert twice.status_code == 409 and twice.get_json()["error"]["code"] == "already_qualified"
    late = cand.post(f"{base}/reply", {"body": "Autre chose ?"})
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "invalid_transition"
    verified = api.as_("jury").get(f"/attempts/{attempt.id}/verify").get_json()
    assert verified["valid"] is True


def test_order_confirmation_endpoint(api, cand, attempt, other_attempt, order_for, roussel):
    confirmed = order_for(attempt, roussel)
    draft = order_for(attempt, roussel, status="draft")
    foreign_client = db.session.scalar(
        sa.select(Client).where(Client.attempt_id == other_attempt.id)
    )
    foreign = order_for(other_attempt, foreign_client)
    path = f"/orders/{confirmed.id}/confirmation"
    assert api.post(path).status_code == 401
    assert api.as_("formateur").post(path).status_code == 403
    assert cand.post(f"/orders/{foreign.id}/confirmation").status_code == 404
    assert cand.post(f"/orders/{draft.id}/confirmation").get_json()["error"]["code"] == (
        "order_not_confirmed"
    )
    chat = cand.post(path, {"channel": "chat"})
    assert chat.status_code == 422 and "channel" in chat.get_json()["error"]["fields"]
    sent = cand.post(path)
    assert sent.status_code == 201
    body = sent.get_json()
    assert confirmed.number in body["subject"] and len(body["attachments"]) == 2
    assert body["conversation"]["direction"] == "outbound"
    assert _verbs(attempt)[-2:] == ["contact.opened", "message.sent"]


def test_sms_measure_and_the_openapi_document(api, cand):
    measured = cand.get("/sms/measure", text="Reçu, merci €").get_json()
    assert measured["encoding"] == "ucs2" and measured["unicode_characters"] == ["ç"]
    assert cand.get("/sms/measure", text="a" * 161).get_json()["segments"] == 2
    assert api.as_("formateur").get("/sms/measure", text="x").status_code == 403
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "/api/v1/conversations/{conversation_id}/reply" in paths
    assert "/api/v1/attempts/{attempt_id}/messages" in paths
    assert paths["/api/v1/orders/{order_id}/confirmation"]["post"]["tags"] == ["Inbox"]


def test_the_desk_calls_with_its_session_and_csrf_header(client, login, csrf_from, inject):
    conversation = inject()["conversation"]
    login("candidat1")
    path = f"/api/v1/conversations/{conversation['id']}/reply"
    refused = client.post(path, json={"body": "Bonjour"})
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf"
    token = csrf_from(client.get("/clients").get_data(as_text=True))
    sent = client.post(path, json={"body": "Bonjour"}, headers={"X-CSRFToken": token})
    assert sent.status_code == 201
    assert client.get("/api/v1/inbox").get_json()["items"][0]["status"] == "pending"


def test_sms_measure_without_text_is_a_422_naming_it(cand):
    for params in ({}, {"text": ""}):
        response = cand.get("/sms/measure", **params)
        assert response.status_code == 422
        assert list(response.get_json()["error"]["fields"]) == ["text"]
    assert cand.get("/sms/measure", text="  ").get_json()["characters"] == 2
