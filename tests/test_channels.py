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


def test_dunning_steps_confirmations_and_body_limits_come_from_the_registry(app):
    from crm.dunning.reminders import CHANNEL_LABELS
    from crm.training.scenario_schema.vocabulary import DUNNING_CHANNELS
    from softphone.inbox.confirmation import CONFIRMATION_CHANNELS

    # A ladder climbs from the written reminders to a call and a letter; the phone's step is
    # named `call`, as packs write it.
    assert channels.dunning_steps() == DUNNING_CHANNELS == ("email", "sms", "call", "letter")
    assert channels.of_dunning_step("call").name == "phone"
    assert channels.of_dunning_step("chat") is None
    with app.test_request_context():
        words = {step: str(word) for step, word in CHANNEL_LABELS.items()}
    assert words == {"email": "e-mail", "sms": "SMS", "call": "appel", "letter": "courrier"}
    assert CONFIRMATION_CHANNELS == channels.confirmation_channels() == ("email", "sms")
    assert channels.body_limits() == {"email": 20000, "sms": 1000, "chat": 1000}


def test_a_reminder_goes_to_the_address_its_channel_needs(app):
    from types import SimpleNamespace

    from crm.dunning.reminders import recipient

    phones = [SimpleNamespace(e164="+33478123456"), SimpleNamespace(e164="+33612345678")]
    client = SimpleNamespace(
        email="a@b.fr", phones=phones, street="1 rue X", postcode="69001", city="Lyon"
    )
    assert recipient(client, "email") == "a@b.fr"
    assert recipient(client, "sms") == "+33612345678"
    assert recipient(client, "call") == "+33612345678"
    assert recipient(client, "letter") == "1 rue X, 69001 Lyon"
    landline = SimpleNamespace(email=None, phones=phones[:1], street=None, postcode=None, city=None)
    assert recipient(landline, "sms") is None and recipient(landline, "call") == "+33478123456"
    assert recipient(landline, "email") is None and recipient(landline, "letter") is None
    assert recipient(client, "fax") is None


#: Channel names spelled together outside the registry, and why that is not a channel list:
#: (file, the names found together) → reason.
SPELLED_ALLOWED = {
    ("crm/clients/identity.py", frozenset({"email", "phone"})): "identity elements (fields)",
    ("crm/clients/search.py", frozenset({"email", "phone"})): "contact persons' columns",
    ("crm/clients/serialize.py", frozenset({"email", "phone"})): "contact persons' fields",
    ("crm/clients/views.py", frozenset({"email", "phone"})): "field labels",
    ("crm/training/scenario_schema/clients.py", frozenset({"email", "phone"})): "pack keys",
    ("crm/training/scenario_schema/company.py", frozenset({"email", "phone"})): "pack keys",
    ("crm/training/scenario_schema/vocabulary.py", frozenset({"email", "phone"})): "column sizes",
    # Each timeline kind's own checks of `from` live in the schema (crm/README.md).
    ("crm/training/scenario_schema/timeline.py", frozenset({"call", "sms"})): "a `from` number",
}


def test_no_module_spells_a_channel_list_outside_the_registry():
    """Tuples, lists, sets, dict keys and one_of(...) naming two channels or more are channel
    lists: they belong in crm.channels (README rule 5), save the allowed field names above."""
    import ast
    from pathlib import Path

    spelled = {*channels.names(), *channels.timeline_kinds(), *channels.dunning_steps()}
    root = Path(__file__).resolve().parent.parent
    found = {}
    for top in ("crm", "softphone"):
        for path in (root / top).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if relative == "crm/channels.py" or "/migrations/" in relative:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Tuple | ast.List | ast.Set):
                    items = node.elts
                elif isinstance(node, ast.Dict):
                    items = [key for key in node.keys if key is not None]
                elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "one_of":
                    items = node.args
                else:
                    continue
                names = frozenset(
                    i.value for i in items if isinstance(i, ast.Constant) and i.value in spelled
                )
                if len(names) >= 2 and (relative, names) not in SPELLED_ALLOWED:
                    found[f"{relative}:{node.lineno}"] = sorted(names)
    assert found == {}, found
