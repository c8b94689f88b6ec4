"""The channels registry (crm.channels): one place for names, labels, deadlines, kinds and KPIs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import channels
from crm.training import timeline
from crm.training.scenario_schema import timeline as schema_timeline
from softphone.inbox.channels import CHANNELS as WRITTEN_AT_DESK


def test_the_registry_lists_every_channel_in_screen_order():
    assert channels.names() == ("phone", "email", "sms", "chat", "letter")
    assert channels.names(written=True) == ("email", "sms", "chat")
    assert channels.names(at_desk=True) == ("phone", "email", "sms", "chat")


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        channels.register(channels.get("sms"))
    with pytest.raises(KeyError):
        channels.get("fax")


def test_timeline_event_kinds_come_from_the_registry_only():
    assert channels.timeline_kinds() == ("call", "email", "sms", "chat")
    assert channels.timeline_kinds() == timeline.TIMELINE_KINDS
    # Scripted payments are timeline items too, though no channel brings them.
    assert (*channels.timeline_kinds(), "payment", "reply") == timeline.EVENT_KINDS
    assert (*channels.timeline_kinds(), "payment") == schema_timeline.TIMELINE_KINDS


def test_each_written_channel_has_its_desk_behaviour_and_the_registrys_deadline():
    assert set(WRITTEN_AT_DESK) == set(channels.names(written=True))
    for name, behaviour in WRITTEN_AT_DESK.items():
        assert behaviour().deadline(None) == channels.get(name).answer_deadline
    assert channels.get("chat").answer_deadline == timedelta(minutes=2)


def test_kpi_keys_and_check_constraints_are_built_from_names():
    sms = channels.get("sms")
    assert (sms.contacts_kpi, sms.deadline_kpi) == ("contacts.sms", "deadline_compliance.sms")
    assert channels.get("phone").deadline_kpi is None
    assert channels.sql_in("kind", ("call", "reply")) == "kind in ('call', 'reply')"


def test_consent_flags_and_template_channels_come_from_the_registry():
    assert channels.with_consent() == ("phone", "email", "sms")
    assert channels.get("sms").consent_field == "consent_sms"
    assert channels.template_channels() == ("email", "sms", "chat", "letter")


def test_a_verb_belongs_to_the_channel_of_its_prefix():
    assert channels.of_verb("call.answered") == "phone"
    assert channels.of_verb("agent.logged_on") == "phone"
    assert channels.of_verb("message.received") is None


def test_labels_fall_back_to_the_name_for_an_unknown_channel(app):
    with app.test_request_context():
        assert str(channels.label_of("email")) == "E-mail"
        assert str(channels.word_of("phone")) == "téléphone"
        assert channels.label_of("fax") == "fax"
        assert channels.kind_icon("call") == "☎" and channels.kind_icon("reply") == "reply"
        assert channels.interaction_labels(by_kind=True)["call"] == "Appel"
