"""Replies (templates, free text, channel limits, deadlines) and the order confirmation."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.contacts.services import open_contact
from crm.db import db
from crm.dunning.models import Installment, PaymentPlan
from crm.errors import Conflict, InvalidTransition, ValidationFailed
from crm.knowledge.rendering import format_value
from crm.orders.pricing import order_totals
from softphone.inbox.confirmation import send_order_confirmation
from softphone.inbox.models import Message
from softphone.inbox.sending import reply
from softphone.inbox.variables import message_values, plan_summary

ROUSSEL = {"email": "amandine.roussel@free.example", "mobile": "06 39 98 40 22"}


def _messages() -> int:
    return db.session.scalar(sa.select(sa.func.count(Message.id)).where(Message.direction == "out"))


def test_a_free_text_email_reply_takes_the_conversation_and_stops_the_clock(ctx, inbound, log):
    conversation = inbound(subject="Livraison")
    log.mark()
    sent = reply(ctx, conversation, "Bonjour Madame, votre colis part demain.")
    assert sent.within_deadline is True and sent.message.subject == "Re : Livraison"
    assert conversation.status == "pending" and conversation.first_answered_at is not None
    assert conversation.deadline_at is None and conversation.awaiting_since is None
    assert log.verbs() == ["contact.opened", "conversation.taken", "message.sent"]
    action = log.new()[-1]
    assert (action.interaction_type, action.interaction_id) == ("contact", conversation.contact_id)
    payload = action.payload
    assert payload["kind"] == "reply" and payload["first_answer"] is True
    assert payload["template"] is None and payload["length"] == 40
    assert payload["within_deadline"] is True and payload["answer_delay_seconds"] >= 0
    log.mark()
    reply(ctx, conversation, "Précision : livraison avant midi.")
    assert log.verbs() == ["message.sent"]
    assert log.new()[0].payload["first_answer"] is False
    assert log.new()[0].payload["within_deadline"] is None


def test_a_late_answer_is_recorded_as_late(ctx, inbound, log):
    conversation = inbound(channel="chat", party="Visiteur 9")
    late = conversation.deadline_at + timedelta(seconds=30)
    log.mark()
    sent = reply(ctx, conversation, "Bonjour, je suis à vous.", now=late)
    assert sent.within_deadline is False
    assert log.new()[-1].payload["answer_delay_seconds"] == pytest.approx(150, abs=1)


def test_a_template_reply_fills_in_the_variables(ctx, inbound, template, document, log):
    conversation = inbound(channel="sms", party=ROUSSEL["mobile"], body="Rappelez-moi")
    chosen = template("confirmation-rappel-sms-fr")
    log.mark()
    sent = reply(ctx, conversation, template_id=chosen.id)
    assert "Bureau Direct" in sent.message.body and "{{" not in sent.message.body
    assert sent.message.template_id == chosen.id and sent.message.encoding in ("gsm7", "ucs2")
    payload = log.new()[-1].payload
    assert payload["template"] == "confirmation-rappel-sms-fr"
    assert payload["segments"] == sent.message.segments >= 1
    assert payload["subject"] == ""


def test_an_email_with_attachments_from_the_library(ctx, inbound, document, log):
    conversation = inbound()
    cgv = document("cgv")
    log.mark()
    sent = reply(ctx, conversation, "Ci-joint nos conditions.", attachment_ids=[cgv.id])
    assert sent.message.attachments == [
        {"document_id": cgv.id, "title": cgv.title, "filename": cgv.filename}
    ]
    assert log.new()[-1].payload["attachments"] == [
        {"document_id": cgv.id, "filename": cgv.filename}
    ]


def test_typed_placeholders_are_filled_or_refused(ctx, inbound, roussel, log):
    conversation = inbound()
    sent = reply(ctx, conversation, "Bonjour {{ client.last_name }}, c'est noté.")
    assert sent.message.body == f"Bonjour {roussel.last_name}, c'est noté."
    assert sent.message.subject == "Re : votre message"  # the customer gave no subject
    with pytest.raises(ValidationFailed) as refused:
        reply(ctx, conversation, "Bonjour {{ client.pointure }}")
    assert "client.pointure" in refused.value.fields["body"]


def test_variables_come_from_the_client_file_and_the_given_order(
    ctx, inbound, order_for, attempt, roussel
):
    older = order_for(attempt, roussel)
    latest = order_for(attempt, roussel)
    values = message_values(ctx, roussel)
    assert values["client"]["number"] == "C20003" and values["order"]["number"] == latest.number
    assert values["order"]["total"] == order_totals(latest.lines).gross
    assert values["agent"]["name"] == "Candidat1" and values["company"]["name"] == "Bureau Direct"
    assert message_values(ctx, roussel, order=older)["order"]["number"] == older.number
    assert set(message_values(ctx, None)) == {"agent", "company"}
    conversation = inbound()
    sent = reply(ctx, conversation, "Commande {{ order.number }} : {{ order.total }}", order=older)
    total = format_value(order_totals(older.lines).gross)
    assert sent.message.body == f"Commande {older.number} : {total}"


def test_a_payment_plan_reads_as_one_line():
    plan = PaymentPlan(total=Decimal("300.00"))
    plan.installments = [
        Installment(seq=1, due_date=date(2026, 5, 12), amount=Decimal("100.00")),
        Installment(seq=2, due_date=date(2026, 6, 12), amount=Decimal("200.00")),
    ]
    assert (
        plan_summary(plan, "fr") == "2 échéances : 100,00 € le 12/05/2026, 200,00 € le 12/06/2026"
    )
    assert plan_summary(plan, "en").startswith("2 instalments: €100.00 on 12/05/2026")


@pytest.mark.parametrize(
    ("body", "party", "message"),
    [
        ("Bonjour {{ client.shoe_size }}", ROUSSEL["email"], "Variable inconnue"),
        ("Votre facture {{ invoice.number }}", "inconnu@nulle-part.example", "pas disponible"),
    ],
)
def test_a_template_that_cannot_be_filled_is_refused_on_template_id(
    ctx, inbound, template, log, body, party, message
):
    conversation = inbound(party=party)
    bad = template(body=body)
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        reply(ctx, conversation, template_id=bad.id)
    assert message in refused.value.fields["template_id"]
    db.session.rollback()
    assert log.verbs() == [] and _messages() == 0


@pytest.mark.parametrize(
    ("channel", "party", "kwargs", "field"),
    [
        ("email", ROUSSEL["email"], {}, "body"),
        ("email", ROUSSEL["email"], {"template_id": 999999}, "template_id"),
        (
            "email",
            ROUSSEL["email"],
            {"body": "Ci-joint", "attachment_ids": [999999]},
            "attachment_ids",
        ),
        ("chat", "Visiteur", {"body": "Voici", "attachment_ids": "cgv"}, "attachment_ids"),
        ("sms", ROUSSEL["mobile"], {"body": "a" * 919}, "body"),
        ("sms", ROUSSEL["mobile"], {"body": "Bonjour", "subject": "Objet"}, "subject"),
        ("chat", "Visiteur", {"body": "x" * 1001}, "body"),
    ],
)
def test_reply_refusals(ctx, inbound, document, log, channel, party, kwargs, field):
    conversation = inbound(channel=channel, party=party)
    if kwargs.get("attachment_ids") == "cgv":
        kwargs = {**kwargs, "attachment_ids": [document("cgv").id]}
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        reply(ctx, conversation, **kwargs)
    assert field in refused.value.fields
    assert log.verbs() == [] and _messages() == 0 and conversation.contact_id is None


def test_a_template_of_another_channel_is_refused(ctx, inbound, template, log):
    conversation = inbound(channel="chat", party="Visiteur")
    email_only = template("confirmation-commande-email-fr")
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        reply(ctx, conversation, template_id=email_only.id)
    assert "canal email" in refused.value.fields["template_id"] and log.verbs() == []


def test_no_reply_to_a_resolved_conversation_nor_during_a_call(ctx, inbound, roussel, log):
    conversation = inbound()
    conversation.status = "resolved"
    db.session.commit()
    with pytest.raises(InvalidTransition):
        reply(ctx, conversation, "Bonjour")
    conversation.status = "open"
    open_contact(ctx, roussel, "phone", "inbound")
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as refused:
        reply(ctx, conversation, "Bonjour")
    assert refused.value.code == "contact_open"
    assert log.verbs() == [] and _messages() == 0


def test_order_confirmation_by_email_opens_its_own_contact(ctx, order, roussel, log):
    log.mark()
    sent = send_order_confirmation(ctx, order)
    conversation, message = sent.conversation, sent.message
    assert conversation.direction == "outbound" and conversation.status == "open"
    assert conversation.party == ROUSSEL["email"] and conversation.client_id == roussel.id
    assert order.number in message.subject and roussel.last_name in message.body
    assert {a["filename"] for a in message.attachments} == {
        "cgv-bureau-direct.pdf",
        "formulaire-retractation.pdf",
    }
    assert log.verbs() == ["contact.opened", "message.sent"]
    payload = log.new()[-1].payload
    assert payload["kind"] == "order_confirmation" and payload["order"] == order.number
    assert payload["template"] == "confirmation-commande-email-fr"
    assert payload["during_contact"] is False and payload["order_total"]


def test_order_confirmation_during_the_sale_call_belongs_to_it(ctx, order, roussel, log):
    call = open_contact(ctx, roussel, "phone", "inbound")
    db.session.commit()
    log.mark()
    sent = send_order_confirmation(ctx, order, "sms")
    assert sent.conversation.contact_id == call.id and sent.conversation.status == "resolved"
    assert sent.conversation.party == "+33639984022" and sent.message.segments >= 1
    assert log.verbs() == ["message.sent"]
    assert log.new()[0].payload["template"] == "confirmation-commande-sms-fr"


def test_order_confirmation_speaks_the_client_language(ctx, order, inbound, log):
    inbound(body="Hello, I have a question", language="en")
    log.mark()
    sent = send_order_confirmation(ctx, order)
    assert sent.conversation.language == "en" and "Dear" in sent.message.body
    assert log.new()[-1].payload["template"] == "confirmation-commande-email-en"


def test_order_confirmation_refusals(ctx, order_for, roussel, attempt, log):
    draft = order_for(attempt, roussel, status="draft")
    with pytest.raises(Conflict) as refused:
        send_order_confirmation(ctx, draft)
    assert refused.value.code == "order_not_confirmed"
    with pytest.raises(ValidationFailed) as refused:
        send_order_confirmation(ctx, draft, "chat")
    assert "channel" in refused.value.fields
    confirmed = order_for(attempt, roussel)
    roussel.email = None
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        send_order_confirmation(ctx, confirmed)
    assert refused.value.code == "unreachable"
    assert log.verbs() == [] and _messages() == 0


def test_order_confirmation_waits_for_another_clients_contact(ctx, order, attempt, log):
    from crm.clients.models import Client

    someone = db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt.id, Client.number == "C10001")
    )
    open_contact(ctx, someone, "phone", "inbound")
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as refused:
        send_order_confirmation(ctx, order)
    assert refused.value.code == "contact_open" and log.verbs() == [] and _messages() == 0
