"""The channels registry: outgoing checks, deadlines, parties, consent and threading."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from softphone.inbox.channels import CHANNELS, Chat, Email, Sms, channel_for, subject_key


def test_the_registry_names_three_channels():
    assert {name: kind.name for name, kind in CHANNELS.items()} == {
        "email": "email",
        "sms": "sms",
        "chat": "chat",
    }
    assert isinstance(channel_for("sms"), Sms)


OUTGOING = [
    ("email", "Votre commande", "Bonjour", [1, 2], set()),
    ("email", "", "Bonjour", [], {"subject"}),
    ("email", "Objet", "   ", [], {"body"}),
    ("email", "Objet", "x" * 20001, [], {"body"}),
    ("email", "x" * 201, "Bonjour", [], {"subject"}),
    ("email", "Objet", "Bonjour", list(range(11)), {"attachment_ids"}),
    ("sms", None, "Bonjour", None, set()),
    ("sms", "Objet", "Bonjour", None, {"subject"}),
    ("sms", None, "Bonjour", [1], {"attachment_ids"}),
    ("sms", None, "a" * 918, None, set()),
    ("sms", None, "a" * 919, None, {"body"}),
    ("sms", None, "ê" * 402, None, set()),
    ("sms", None, "ê" * 403, None, {"body"}),
    ("chat", None, "x" * 1000, None, set()),
    ("chat", None, "x" * 1001, None, {"body"}),
    ("chat", None, "Bonjour", [1], {"attachment_ids"}),
    ("chat", "Objet", "Bonjour", None, {"subject"}),
    ("chat", None, "", None, {"body"}),
]


@pytest.mark.parametrize(
    ("channel", "subject", "body", "attachments", "errors"),
    OUTGOING,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(OUTGOING)],
)
def test_outgoing_checks(channel, subject, body, attachments, errors):
    check = channel_for(channel).check_outgoing(subject, body, attachments)
    assert set(check.errors) == errors
    assert check.ok is (not errors)
    assert all(isinstance(message, str) and message for message in check.errors.values())


def test_an_sms_check_measures_the_text_and_explains_a_refusal():
    check = Sms().check_outgoing(None, "a" * 919)
    assert check.sms.segments == 7
    assert check.errors["body"].startswith("SMS trop long : 7 segments")
    assert Sms().check_outgoing(None, "Reçu").sms.encoding == "ucs2"
    assert Email().check_outgoing("Objet", "Bonjour").sms is None


@pytest.mark.parametrize(
    ("channel", "settings", "expected"),
    [
        ("email", {}, timedelta(hours=24)),
        ("sms", None, timedelta(hours=4)),
        ("chat", {}, timedelta(minutes=2)),
        ("chat", {"channel_deadlines": {"chat": 5}}, timedelta(minutes=5)),
        ("email", {"channel_deadlines": {"email": 60, "chat": 1}}, timedelta(hours=1)),
        ("sms", {"channel_deadlines": {"sms": "vite"}}, timedelta(hours=4)),
        ("sms", {"channel_deadlines": {"sms": 0}}, timedelta(hours=4)),
        ("sms", {"channel_deadlines": {"sms": True}}, timedelta(hours=4)),
    ],
)
def test_deadlines_default_per_channel_and_follow_the_scenario(channel, settings, expected):
    assert channel_for(channel).deadline(settings) == expected


@pytest.mark.parametrize(
    ("channel", "raw", "expected"),
    [
        ("email", " Amandine.Roussel@Free.example ", "amandine.roussel@free.example"),
        ("email", "pas-une-adresse", None),
        ("email", None, None),
        ("sms", "06 39 98 40 22", "+33639984022"),
        ("sms", "+33 6 39 98 40 22", "+33639984022"),
        ("sms", "12345", None),
        ("sms", 612345678, None),
        ("chat", "  Visiteur   42 ", "Visiteur 42"),
        ("chat", "   ", None),
        ("chat", "x" * 161, None),
    ],
)
def test_parties_are_normalised_or_refused(channel, raw, expected):
    assert channel_for(channel).normalize_party(raw) == expected


def _client(email=False, sms=False):
    return SimpleNamespace(consent_email=email, consent_sms=sms)


@pytest.mark.parametrize(
    ("channel", "client", "transactional", "allowed"),
    [
        ("email", _client(), True, True),
        ("email", None, True, True),
        ("email", _client(), False, False),
        ("email", _client(email=True), False, True),
        ("email", None, False, False),
        ("sms", _client(email=True), False, False),
        ("sms", _client(sms=True), False, True),
        ("chat", None, False, True),
    ],
)
def test_consent_only_matters_for_messages_nobody_asked_for(
    channel, client, transactional, allowed
):
    verdict = channel_for(channel).consent(client, transactional=transactional)
    assert verdict.allowed is allowed
    assert (verdict.reason is None) is allowed


@pytest.mark.parametrize(
    ("channel", "status", "old_subject", "subject", "continues"),
    [
        ("email", "open", "Livraison", "RE: livraison", True),
        ("email", "resolved", "Livraison", "Re : TR: Livraison", True),
        ("email", "open", "Livraison", "Facture", False),
        ("sms", "resolved", "", "", True),
        ("chat", "pending", "", "", True),
        ("chat", "resolved", "", "", False),
    ],
)
def test_which_new_message_continues_a_conversation(
    channel, status, old_subject, subject, continues
):
    conversation = SimpleNamespace(status=status, subject=old_subject)
    assert channel_for(channel).continues(conversation, subject) is continues


def test_subject_keys_ignore_prefixes_case_and_spacing():
    assert subject_key("Fwd:  RE: Commande   en retard") == "commande en retard"
    assert subject_key(None) == ""
    assert Chat().template_channels == ("chat",)
