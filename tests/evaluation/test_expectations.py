"""Scenario expectations (`expect:`): validated as a closed set, linked to what played the item.

Timeline items and call-plan entries carry them; `AttemptEvidence.expectations` links each item to
its call or conversation and to the contact that handled it (the one link the rules read).
"""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa

from crm import clock
from crm.campaigns.models import Campaign
from crm.db import db
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.training.expectations import EXPECT_KEYS, expectations_of
from crm.training.library import load_scenario
from crm.training.scenario_schema import validate_scenario
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.services import take_conversation
from softphone.phone.services import dial, set_agent_state
from softphone.scenarios.scheduler import TickReport, claim, fire


@pytest.fixture
def pack(app):
    return copy.deepcopy(load_scenario("bureau-direct"))


def problems(data) -> dict[str, str]:
    return {p.path: p.message for p in validate_scenario(data, "bureau-direct.yaml")}


def test_the_default_scenario_states_expectations_the_rules_use(pack):
    assert problems(pack) == {}
    by_key = {i["key"]: expectations_of(i) for i in pack["timeline"]}
    assert by_key["appel-commande-rupture"] == {
        "identity": True,
        "substitute": "PAP-A4-80-5",
        "additional_sale": True,
        "written_confirmation": True,
        "qualification": "VENTE",
    }
    assert by_key["appel-sav-transfert"] == {
        "identity": True,
        "resolved": False,
        "transfer": "service-technique",
    }
    assert by_key["sms-stop-publicite"] == {"client_update": {"consent_sms": False}}
    assert set().union(*by_key.values()) == set(EXPECT_KEYS)


def test_the_free_expectations_list_is_no_longer_part_of_the_format(pack):
    pack["timeline"][0]["expectations"] = [{"verb": "order.confirmed"}]
    pack["campaigns"][1]["call_plan"][0]["expectations"] = [{"verb": "order.confirmed"}]
    found = problems(pack)
    assert found == {
        "timeline[0].expectations": "clé inconnue ; vouliez-vous dire 'expect' ?",
        "campaigns[1].call_plan[0].expectations": "clé inconnue ; vouliez-vous dire 'expect' ?",
    }


@pytest.mark.parametrize(
    ("expect", "path", "words"),
    [
        ({"substitue": "PAP-A4-80-5"}, "timeline[0].expect.substitue", "attente inconnue"),
        ({"substitute": "PAP-NOPE"}, "timeline[0].expect.substitute", "aucun produit n'a ce sku"),
        (
            {"qualification": "VENDU"},
            "timeline[0].expect.qualification",
            "n'est pas dans qualification",
        ),
        ({"identity": "yes"}, "timeline[0].expect.identity", "true ou false"),
        ({"resolved": 1}, "timeline[0].expect.resolved", "true ou false"),
        ({}, "timeline[0].expect", "mapping d'attentes"),
        (["identity"], "timeline[0].expect", "mapping d'attentes"),
        ({"transfer": "sav"}, "timeline[0].expect.transfer", "n'est pas dans transfer_targets"),
        (
            {"transfer": ["comptabilite", "sav"]},
            "timeline[0].expect.transfer[1]",
            "cible de transfert 'sav' introuvable",
        ),
        ({"transfer": []}, "timeline[0].expect.transfer", "ou une liste de clés"),
        ({"transfer": True}, "timeline[0].expect.transfer", "ou une liste de clés"),
        (
            {"kb_articles": ["cgv"]},
            "timeline[0].expect.kb_articles[0]",
            "n'est pas dans knowledge_base",
        ),
        ({"kb_articles": "suivi-commande"}, "timeline[0].expect.kb_articles", None),
        ({"kb_articles": False}, "timeline[0].expect.kb_articles", "true (n'importe quel article)"),
        ({"kb_articles": [{}]}, "timeline[0].expect.kb_articles[0]", "clé (article) en texte"),
        ({"client_update": [{}]}, "timeline[0].expect.client_update[0]", "champ de fiche client"),
        ({"client_update": False}, "timeline[0].expect.client_update", "true (toute mise à jour)"),
        ({"client_update": []}, "timeline[0].expect.client_update", "true (toute mise à jour)"),
        (
            {"client_update": ["adresse"]},
            "timeline[0].expect.client_update[0]",
            "champ de fiche client 'adresse' inconnu",
        ),
        (
            {"client_update": {"consent_sms": "non"}},
            "timeline[0].expect.client_update.consent_sms",
            "true ou false",
        ),
        (
            {"client_update": {"phones": "12"}},
            "timeline[0].expect.client_update.phones",
            "doit être un numéro de téléphone",
        ),
        (
            {"client_update": {"street": ""}},
            "timeline[0].expect.client_update.street",
            "doit être un texte",
        ),
    ],
)
def test_bad_expectations_are_refused_with_their_path(pack, expect, path, words):
    pack["timeline"][0]["expect"] = expect
    found = problems(pack)
    if words is None:  # sound
        assert found == {}
        return
    assert path in found, found
    assert words in found[path]
    assert len(found) == 1


@pytest.mark.parametrize(
    "expect",
    [
        {"transfer": ["comptabilite", "service-technique"]},
        {"kb_articles": True},
        {"client_update": True},
        {"client_update": ["street", "city", "postcode"]},
        {"client_update": {"phones": "06 11 22 33 44", "consent_sms": False, "notes": "Déménage"}},
    ],
)
def test_sound_expectations_pass(pack, expect):
    pack["timeline"][0]["expect"] = expect
    assert problems(pack) == {}


def test_call_plan_entries_take_expectations_validated_the_same_way(pack):
    entry = pack["campaigns"][1]["call_plan"][0]
    entry["expect"] = {"qualification": "VENTE", "transfer": "standard"}
    assert problems(pack) == {
        "campaigns[1].call_plan[0].expect.transfer": (
            "cible de transfert 'standard' introuvable : il n'est pas dans transfer_targets"
        )
    }


def test_expectations_reach_the_evidence_with_the_contact_that_answered(desk, attempt):
    before = AttemptEvidence(attempt).expectations["appel-commande-rupture"]
    assert before.contact_id is None  # the call has not rung yet
    desk.answer("appel-commande-rupture")
    after = AttemptEvidence(attempt).expectations
    assert after["appel-commande-rupture"].contact_id == desk.contact.id
    assert after["appel-commande-rupture"].expect["substitute"] == "PAP-A4-80-5"
    assert after["appel-commande-rupture"].call_id == desk.call.id
    assert after["appel-sav-transfert"].contact_id is None
    assert after["appel-sav-transfert"].call_id is None
    assert "chat-casque-teletravail" not in after  # no `expect:` on that item


def test_a_timeline_message_is_linked_to_the_contact_that_took_it(desk, attempt):
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == "email-duplicata-facture"
        )
    )
    now = clock.now()
    assert claim(event.id, now, "test")
    fire(event.id, now, "test", TickReport())
    conversation = db.session.get(Conversation, event.result["conversation_id"])
    taken = take_conversation(desk.base, conversation)
    found = AttemptEvidence(attempt).expectations["email-duplicata-facture"]
    assert (found.contact_id, found.conversation_id, found.call_id) == (
        taken.contact.id,
        conversation.id,
        None,
    )
    assert found.expect == {"qualification": "INFO", "kb_articles": ["factures-duplicata"]}


def test_a_call_plan_entry_is_linked_to_the_first_call_dialled_to_its_number(desk, attempt):
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "relance-clients-inactifs"
        )
    )
    plan = [dict(entry) for entry in campaign.settings["call_plan"]]
    plan[1]["expect"] = {"identity": True}
    campaign.settings = {**campaign.settings, "call_plan": plan}
    db.session.commit()
    key = "relance-clients-inactifs-2"
    before = AttemptEvidence(attempt).expectations[key]
    assert (before.kind, before.expect, before.contact_id, before.call_id) == (
        "call",
        {"identity": True},
        None,
        None,
    )
    set_agent_state(desk.base, "ready")
    call = dial(desk.base, plan[1]["number"], acknowledge_rules=True).call
    db.session.commit()
    found = AttemptEvidence(attempt)
    assert (found.expectations[key].contact_id, found.expectations[key].call_id) == (
        call.contact_id,
        call.id,
    )
    assert found.plan_entry_of(plan[1]["number"]) == key
    assert found.plan_entry_of("04 99 00 00 01") is None
    assert "relance-clients-inactifs-1" not in found.expectations  # no `expect:` there
