"""Answer deadlines per written channel, on conversations built through the real inbox services."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation
from tests.evaluation.conftest import last

EMAIL, MOBILE = "amandine.roussel@free.example", "06 39 98 40 22"


def verdict(attempt):
    return RULES["channel_deadlines_met"].evaluate(AttemptEvidence(attempt))


def received(customer, channel, minutes_ago, body="Bonjour, où en est ma commande ?"):
    party = EMAIL if channel == "email" else MOBILE if channel == "sms" else "Léa"
    subject = "Ma commande" if channel == "email" else None
    at = clock.now() - timedelta(minutes=minutes_ago)
    conversation = receive_message(customer, channel, party, body, subject, now=at).conversation
    db.session.commit()
    return conversation


def test_nothing_received_is_not_observed(attempt):
    assert verdict(attempt).status == NOT_OBSERVED


def test_a_message_still_within_its_deadline_is_waiting_not_judged(attempt, customer):
    received(customer, "email", 10)
    result = verdict(attempt)
    assert (result.status, result.figures["waiting"]) == (NOT_OBSERVED, 1)


@pytest.mark.parametrize(
    ("channel", "minutes_ago", "status"),
    [
        ("email", 60 * 23, MET),  # 24 h allowed
        ("email", 60 * 25, NOT_MET),
        ("sms", 60 * 3, MET),  # 4 h allowed
        ("sms", 60 * 5, NOT_MET),
        ("chat", 1, MET),  # 2 min allowed
        ("chat", 3, NOT_MET),
    ],
)
def test_a_reply_within_or_after_the_channels_deadline(
    attempt, ctx, customer, channel, minutes_ago, status
):
    conversation = received(customer, channel, minutes_ago)
    reply(ctx, conversation, "Bonjour, votre colis part aujourd'hui. Bureau Direct")
    db.session.commit()
    result = verdict(attempt)
    sent = last("message.sent")
    assert (result.status, result.evidence) == (status, (sent.id,))
    if status == NOT_MET:
        message = last("message.received").object_id
        assert f"n° {message} traité après" in result.explanation


def test_an_unanswered_message_past_its_deadline_is_not_met(attempt, ctx, customer):
    late = received(customer, "chat", 10)
    answered = received(customer, "email", 30)
    reply(ctx, answered, "Bonjour, c'est en cours. Bureau Direct")
    db.session.commit()
    result = verdict(attempt)
    first = db.session.scalars(
        sa.select(Action).where(Action.verb == "message.received").order_by(Action.seq)
    ).first()
    assert (result.status, result.not_met_ids) == (NOT_MET, (first.id,))
    assert f"chat n° {late.messages[0].id} sans réponse, échéance du" in (result.explanation)
    assert result.figures == {"in_time": 1, "late": 1, "waiting": 0}


def test_a_conversation_closed_in_time_without_a_reply_counts_as_handled(attempt, ctx, customer):
    conversation = received(customer, "sms", 30, "STOP pub svp")
    qualify_conversation(ctx, conversation, "INFO", "Désinscription des SMS faite.")
    db.session.commit()
    result = verdict(attempt)
    assert (result.status, result.evidence) == (MET, (last("conversation.status_changed").id,))
