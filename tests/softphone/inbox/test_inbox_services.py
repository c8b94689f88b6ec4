"""Inbox services: receiving, opening, taking, linking, status, qualification (actions exact)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.contacts.services import find_open_contact as current_open_contact
from crm.contacts.services import open_contact
from crm.db import db
from crm.errors import Conflict, InvalidTransition, ValidationFailed
from softphone.inbox.models import Conversation, Message
from softphone.inbox.receiving import receive_message
from softphone.inbox.services import (
    link_client,
    open_conversation,
    qualify_conversation,
    set_status,
    take_conversation,
)

#: Mme Roussel, a consumer of the default scenario (see conftest.py).
ROUSSEL = {"email": "amandine.roussel@free.example", "mobile": "06 39 98 40 22"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count(model.id)))


def test_an_email_from_a_known_address_starts_a_linked_conversation(customer, roussel, log):
    received = receive_message(
        customer, "email", "Amandine.Roussel@free.example", " Colis abîmé ", "Livraison"
    )
    conversation = received.conversation
    assert received.new_conversation and not received.reopened
    assert conversation.client_id == roussel.id and conversation.status == "open"
    assert conversation.party == ROUSSEL["email"] and conversation.contact_id is None
    assert conversation.deadline_at - conversation.received_at == timedelta(hours=24)
    (action,) = log.new()
    assert action.verb == "message.received" and action.actor_role == "customer"
    assert (action.interaction_type, action.interaction_id) == ("conversation", conversation.id)
    assert action.payload["linked_by"] == "email" and action.payload["client_id"] == roussel.id
    assert action.payload["body"] == "Colis abîmé" and action.payload["new_conversation"]
    # A waiting message is not a contact: the phone stays free.
    assert current_open_contact(customer.attempt.id) is None


def test_sms_are_threaded_per_number_and_keep_the_first_deadline(customer, roussel, log):
    first = receive_message(customer, "sms", ROUSSEL["mobile"], "Bonjour")
    deadline = first.conversation.deadline_at
    second = receive_message(customer, "sms", "+33639984022", "Vous êtes là ?")
    assert second.conversation is first.conversation and not second.new_conversation
    assert second.conversation.deadline_at == deadline
    assert deadline - first.conversation.received_at == timedelta(hours=4)
    assert first.conversation.client_id == roussel.id
    assert log.verbs() == ["message.received", "message.received"]
    assert log.new()[0].payload["linked_by"] == "phone"


def test_chat_deadline_comes_from_the_scenario_settings(customer, attempt, log):
    attempt.settings = {**attempt.settings, "channel_deadlines": {"chat": 1}}
    received = receive_message(customer, "chat", "Visiteur 12", "Bonjour, une question")
    conversation = received.conversation
    assert conversation.client_id is None
    assert conversation.deadline_at - conversation.received_at == timedelta(minutes=1)
    assert log.new()[0].payload["linked_by"] is None


def test_a_reply_to_a_resolved_email_thread_reopens_it(customer, inbound, log):
    conversation = inbound(subject="Livraison")
    conversation.status = "resolved"
    conversation.awaiting_since = conversation.deadline_at = None
    db.session.commit()
    log.mark()
    received = receive_message(customer, "email", ROUSSEL["email"], "Merci", "RE: Livraison")
    assert received.conversation is conversation and received.reopened
    assert conversation.status == "open" and conversation.deadline_at is not None
    (action,) = log.new()
    assert action.payload["status"] == {"old": "resolved", "new": "open"}
    other = receive_message(customer, "email", ROUSSEL["email"], "Autre sujet", "Facture")
    assert other.new_conversation


@pytest.mark.parametrize(
    ("channel", "party", "body", "kwargs", "field"),
    [
        ("fax", "x", "Bonjour", {}, "channel"),
        ("email", "pas-une-adresse", "Bonjour", {}, "party"),
        ("sms", "12 34", "Bonjour", {}, "party"),
        ("email", ROUSSEL["email"], "   ", {}, "body"),
        ("chat", "Visiteur", "x" * 1001, {}, "body"),
        ("email", ROUSSEL["email"], "Bonjour", {"language": "de"}, "language"),
        ("sms", ROUSSEL["mobile"], "Bonjour", {"attachments": ["photo.jpg"]}, "attachments"),
        ("email", ROUSSEL["email"], "Bonjour", {"attachments": "photo.jpg"}, "attachments"),
    ],
)
def test_receive_refusals(customer, log, channel, party, body, kwargs, field):
    with pytest.raises(ValidationFailed) as refused:
        receive_message(customer, channel, party, body, **kwargs)
    assert field in refused.value.fields
    assert log.verbs() == [] and _count(Conversation) == 0 and _count(Message) == 0


def test_opening_marks_customer_messages_read(ctx, inbound, log):
    conversation = inbound()
    log.mark()
    opened = open_conversation(ctx, conversation)
    assert opened.marked_read == 1 and opened.messages[0].read_at is not None
    assert open_conversation(ctx, conversation).marked_read == 0
    assert log.verbs() == ["conversation.opened", "conversation.opened"]
    assert [a.payload["marked_read"] for a in log.new()] == [1, 0]


def test_taking_opens_one_crm_contact_and_blocks_a_second(ctx, inbound, log):
    conversation = inbound()
    log.mark()
    taken = take_conversation(ctx, conversation)
    contact = taken.contact
    assert taken.opened and conversation.contact_id == contact.id
    assert (contact.channel, contact.direction, contact.party) == (
        "email",
        "inbound",
        ROUSSEL["email"],
    )
    assert take_conversation(ctx, conversation).opened is False
    assert log.verbs() == ["contact.opened", "conversation.taken"]
    assert log.new()[1].payload["contact_id"] == contact.id
    db.session.commit()
    other = inbound(channel="chat", party="Visiteur 7")
    log.mark()
    with pytest.raises(Conflict) as refused:
        take_conversation(ctx, other)
    assert refused.value.code == "contact_open" and log.verbs() == []


def test_link_by_hand_records_old_and_new_and_moves_the_open_contact(ctx, inbound, roussel, log):
    conversation = inbound(channel="chat", party="Visiteur 3")
    take_conversation(ctx, conversation)
    log.mark()
    assert link_client(ctx, conversation, roussel) is True
    assert conversation.client_id == roussel.id and conversation.contact.client_id == roussel.id
    (action,) = log.new()
    assert action.verb == "conversation.linked"
    assert action.payload["client_id"] == {"old": None, "new": roussel.id}
    assert (action.interaction_type, action.interaction_id) == ("contact", conversation.contact_id)
    log.mark()
    assert link_client(ctx, conversation, roussel) is False and log.verbs() == []


def test_link_refuses_a_client_of_another_attempt(ctx, inbound, other_attempt, log):
    conversation = inbound()
    foreign = db.session.scalar(sa.select(Client).where(Client.attempt_id == other_attempt.id))
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        link_client(ctx, conversation, foreign)
    assert "client_id" in refused.value.fields and log.verbs() == []


def test_status_changes_follow_the_machine(ctx, inbound, log):
    conversation = inbound()
    log.mark()
    set_status(ctx, conversation, "pending")
    set_status(ctx, conversation, "open")
    assert [a.payload["status"] for a in log.new()] == [
        {"old": "open", "new": "pending"},
        {"old": "pending", "new": "open"},
    ]
    log.mark()
    with pytest.raises(InvalidTransition):
        set_status(ctx, conversation, "open")
    with pytest.raises(ValidationFailed) as refused:
        set_status(ctx, conversation, "archived")
    assert "status" in refused.value.fields
    with pytest.raises(Conflict) as refused:
        set_status(ctx, conversation, "resolved")
    assert refused.value.code == "not_qualified"
    assert conversation.status == "open" and log.verbs() == []


def test_qualifying_closes_the_conversation_through_crm(ctx, inbound, log):
    conversation = inbound()
    log.mark()
    done = qualify_conversation(ctx, conversation, "INFO", "Délai de livraison donné")
    assert conversation.status == "resolved" and conversation.qualified
    assert done.qualification.contact.code == "INFO" and done.old_status == "open"
    assert log.verbs() == [
        "contact.opened",
        "conversation.taken",
        "contact.qualified",
        "conversation.status_changed",
    ]
    assert log.new()[-1].payload["reason"] == "qualified"
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as refused:
        qualify_conversation(ctx, conversation, "INFO", "Encore")
    assert refused.value.code == "already_qualified" and log.verbs() == []
    # Resolved and qualified: the status may move freely again.
    set_status(ctx, conversation, "open")
    set_status(ctx, conversation, "resolved")
    assert conversation.status == "resolved"


@pytest.mark.parametrize(
    ("code", "note", "field"),
    [("INCONNU", "Note", "code"), ("INFO", "  ", "note"), ("RAPPEL", "Rappel promis", "code")],
)
def test_qualify_refusals_leave_nothing_once_rolled_back(ctx, inbound, log, code, note, field):
    conversation = inbound()
    contacts = _count(Contact)
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        qualify_conversation(ctx, conversation, code, note)
    assert field in refused.value.fields
    db.session.rollback()  # what the request boundary does
    assert log.verbs() == [] and _count(Contact) == contacts
    assert conversation.contact_id is None and conversation.status == "open"


def test_a_call_in_progress_keeps_written_conversations_waiting(ctx, inbound, roussel, log):
    conversation = inbound()
    open_contact(ctx, roussel, "phone", "inbound", party=ROUSSEL["mobile"])
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as refused:
        qualify_conversation(ctx, conversation, "INFO", "Réponse donnée")
    assert refused.value.code == "contact_open" and log.verbs() == []
