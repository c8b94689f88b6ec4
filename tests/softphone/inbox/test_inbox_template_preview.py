"""Templates filled in before sending: the preview the candidate edits, addressed to whoever
wrote, its SMS length measured on the filled text, and chat's own templates."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.knowledge.models import MessageTemplate

MOREL = "contact@cabinet-morel.example"
PERRIN = "n.perrin@cabinet-morel.example"
ROUSSEL_MOBILE = "06 39 98 40 22"


@pytest.fixture
def cand(api, shift):
    """candidat1's API session."""
    return api.as_("candidat1")


@pytest.fixture
def inject(api, shift, attempt):
    """`inject(channel, party, body, …)`: the trainer plays a customer; → the conversation."""
    trainer = api.as_("formateur")

    def send(channel="email", party=MOREL, body="Bonjour, un duplicata SVP.", **kw):
        response = trainer.post(
            f"/attempts/{attempt.id}/messages",
            {"channel": channel, "party": party, "body": body, **kw},
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()["conversation"]

    return send


def _template(attempt, key) -> MessageTemplate:
    return db.session.scalar(
        sa.select(MessageTemplate).where(
            MessageTemplate.attempt_id == attempt.id, MessageTemplate.key == key
        )
    )


def _preview(cand, conversation, template):
    return cand.get(f"/conversations/{conversation['id']}/templates/{template.id}")


def test_the_preview_is_the_template_filled_in_and_records_nothing(cand, inject, attempt):
    conversation = inject(subject="Facture")
    template = _template(attempt, "relance-1-email-fr")
    before = db.session.scalar(sa.select(sa.func.count(Action.id)))
    preview = _preview(cand, conversation, template)
    assert preview.status_code == 200, preview.get_json()
    data = preview.get_json()
    assert "{{" not in data["body"] and "{{" not in data["subject"]
    assert data["body"].startswith("Bonjour Mme Morel,")
    assert "Bureau Direct" in data["body"] and data["sms"] is None
    assert db.session.scalar(sa.select(sa.func.count(Action.id))) == before


def test_the_preview_greets_the_contact_person_who_wrote(cand, inject, attempt):
    conversation = inject(party=PERRIN, subject="Duplicata")
    template = _template(attempt, "relance-1-email-fr")
    body = _preview(cand, conversation, template).get_json()["body"]
    assert body.startswith("Bonjour Nathalie Perrin,")


def test_sms_length_is_counted_on_the_filled_text(cand, inject, attempt):
    conversation = inject("sms", ROUSSEL_MOBILE, "Ma commande ?")
    template = _template(attempt, "confirmation-commande-sms-fr")
    data = _preview(cand, conversation, template).get_json()
    assert data["sms"]["characters"] == len(data["body"]) < len(template.body)
    assert "{{" not in data["body"]
    # « Bureau Direct : » keeps its words but not its no-break space: the SMS stays GSM-7.
    assert "\u00a0" not in data["body"] and data["sms"]["encoding"] == "gsm7"
    assert data["sms"]["segments"] == 1
    measured = cand.get("/sms/measure", text="Bureau Direct\u00a0: merci").get_json()
    assert measured["encoding"] == "gsm7"


def test_chat_offers_chat_templates_and_refuses_others(cand, inject, attempt):
    conversation = inject("chat", "Visiteur 7", "Bonjour")
    listed = cand.get("/templates", channel="chat", language="fr").get_json()["items"]
    assert listed and {t["channel"] for t in listed} == {"chat"}
    greeting = _template(attempt, "chat-accueil-fr")
    data = _preview(cand, conversation, greeting).get_json()
    assert data["body"].startswith("Bonjour et bienvenue chez Bureau Direct")
    sms = _template(attempt, "relance-2-sms-fr")
    refused = _preview(cand, conversation, sms)
    assert refused.status_code == 422 and "template_id" in refused.get_json()["error"]["fields"]


def test_preview_refusals(cand, inject, attempt, api):
    conversation = inject("chat", "Visiteur 8", "Bonjour")
    # The template is named by the path: one the attempt does not have is not found (404), as
    # API.md says of every id in a path; a template of another channel is refused (422) above.
    missing = cand.get(f"/conversations/{conversation['id']}/templates/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    # A template about an invoice cannot be filled in for a visitor without a client file.
    template = _template(attempt, "relance-1-email-fr")
    email = inject(party="inconnu@example.org", subject="Question")
    refused = _preview(cand, email, template)
    assert refused.status_code == 422
    assert "n'est pas disponible" in refused.get_json()["error"]["fields"]["template_id"]
    assert (
        api.as_("formateur")
        .get(f"/conversations/{conversation['id']}/templates/{template.id}")
        .status_code
        == 403
    )
    paths = api.get("/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/conversations/{conversation_id}/templates/{template_id}"]
