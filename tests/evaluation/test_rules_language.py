"""Written replies in the customer's language: English to English, French to French."""

from __future__ import annotations

import pytest

from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from crm.evaluation.rules.language import reply_language
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation

ENGLISH = "Dear Mr Hale, thank you for your message. We will send the parcel this week."
FRENCH = "Bonjour Monsieur, merci pour votre message. Nous vous envoyons le colis cette semaine."


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        ("OK 12", None),  # too short to tell
        ("Hello, merci et the vous", None),  # a mix that says neither
    ],
)
def test_the_language_of_a_reply(text, language):
    assert reply_language(text) == language


def email(customer, language, party="j.hale@mail.example"):
    return receive_message(
        customer, "email", party, "Where is my order?", "Order", language
    ).conversation


def answer(ctx, conversation, text):
    reply(ctx, conversation, text)
    qualify_conversation(ctx, conversation, "INFO", "Répondu.")


def test_no_reply_is_not_observed(judge):
    assert judge("replies_in_exchange_language").status == NOT_OBSERVED


def test_english_answered_in_english_and_french_in_french_is_met(ctx, customer, judge):
    answer(ctx, email(customer, "en"), ENGLISH)
    answer(ctx, email(customer, "fr", "m.roux@mail.example"), FRENCH)
    result = judge("replies_in_exchange_language")
    assert result.status == MET, result.explanation
    assert result.figures == {"replies": 2, "in_english": 1}
    assert len(result.evidence) == 2


def test_a_french_reply_to_an_english_customer_is_not_met(ctx, customer, judge):
    answer(ctx, email(customer, "en"), FRENCH)
    answer(ctx, email(customer, "en", "k.oneill@mail.example"), ENGLISH)
    result = judge("replies_in_exchange_language")
    assert result.status == NOT_MET
    assert "écrit en français à un client qui écrit en anglais" in result.explanation
    assert len(result.not_met_ids) == 1 and len(result.met_ids) == 1
