"""Messages from letter templates: variables filled, the template in the exchange's language."""

from __future__ import annotations

import sqlalchemy as sa

from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from crm.knowledge.models import MessageTemplate
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation
from tests.evaluation.conftest import last

#: The pack's SMS confirming a callback: « … vous rappellera le [date] à [heure]. … »
CALLBACK_SMS = "confirmation-rappel-sms-fr"
FILLED = "Bureau Direct : comme convenu, nous vous rappellerons demain à 10 h."


def sms(customer, language="fr"):
    return receive_message(
        customer, "sms", "06 39 98 40 22", "Rappelez-moi svp", None, language
    ).conversation


def template(attempt, key=CALLBACK_SMS):
    return db.session.scalar(
        sa.select(MessageTemplate).where(
            MessageTemplate.attempt_id == attempt.id, MessageTemplate.key == key
        )
    )


def test_nothing_sent_is_not_observed(judge):
    assert judge("templates_well_used").status == NOT_OBSERVED


def test_a_template_filled_in_the_exchanges_language_is_met(attempt, ctx, customer, judge):
    reply(ctx, sms(customer), FILLED, template_id=template(attempt).id)
    result = judge("templates_well_used")
    assert (result.status, result.met_ids) == (MET, (last("message.sent").id,))
    assert result.figures == {"messages": 1, "from_templates": 1}


def test_the_templates_blanks_sent_as_they_are_are_not_met(attempt, ctx, customer, judge):
    reply(ctx, sms(customer), template_id=template(attempt).id)
    result = judge("templates_well_used")
    assert (result.status, result.not_met_ids) == (NOT_MET, (last("message.sent").id,))
    assert "variables non remplies : [date], [heure]" in result.explanation
    assert CALLBACK_SMS in result.explanation


def test_a_french_template_for_an_english_exchange_is_not_met(attempt, ctx, customer, judge):
    french = sms(customer, "fr")
    reply(ctx, french, FILLED, template_id=template(attempt).id)
    good = last("message.sent")
    qualify_conversation(ctx, french, "INFO", "Rappel confirmé.")
    english = receive_message(customer, "sms", "06 11 22 33 44", "Call me back please", None, "en")
    reply(ctx, english.conversation, FILLED, template_id=template(attempt).id)
    bad = last("message.sent")
    result = judge("templates_well_used")
    assert result.status == NOT_MET
    assert (result.not_met_ids, result.met_ids) == ((bad.id,), (good.id,))
    assert "modèle en fr pour un échange en en" in result.explanation
