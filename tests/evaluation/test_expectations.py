"""Timeline expectations (`expect:`): validated as a closed set, reachable from the evidence."""

from __future__ import annotations

import copy

import pytest
import sqlalchemy as sa

from crm.db import db, utcnow
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.training.expectations import EXPECT_KEYS, expectations_of
from crm.training.library import load_scenario
from crm.training.scenario_schema import validate_scenario
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.services import take_conversation
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
    assert by_key["appel-sav-transfert"]["resolved"] is False
    assert set().union(*by_key.values()) == set(EXPECT_KEYS)


@pytest.mark.parametrize(
    ("expect", "path", "words"),
    [
        ({"substitue": "PAP-A4-80-5"}, "timeline[0].expect.substitue", "unknown expectation"),
        ({"substitute": "PAP-NOPE"}, "timeline[0].expect.substitute", "no product has this sku"),
        ({"qualification": "VENDU"}, "timeline[0].expect.qualification", "not in qualification"),
        ({"identity": "yes"}, "timeline[0].expect.identity", "true or false"),
        ({"resolved": 1}, "timeline[0].expect.resolved", "true or false"),
        ({}, "timeline[0].expect", "mapping of expectations"),
        (["identity"], "timeline[0].expect", "mapping of expectations"),
    ],
)
def test_bad_expectations_are_refused_with_their_path(pack, expect, path, words):
    pack["timeline"][0]["expect"] = expect
    found = problems(pack)
    assert path in found, found
    assert words in found[path]
    assert len(found) == 1


def test_expectations_reach_the_evidence_with_the_contact_that_answered(desk, attempt):
    before = AttemptEvidence(attempt).expectations["appel-commande-rupture"]
    assert before.contact_id is None  # the call has not rung yet
    desk.answer("appel-commande-rupture")
    after = AttemptEvidence(attempt).expectations
    assert after["appel-commande-rupture"].contact_id == desk.contact.id
    assert after["appel-commande-rupture"].expect["substitute"] == "PAP-A4-80-5"
    assert after["appel-sav-transfert"].contact_id is None
    assert "sms-stop-publicite" not in after  # no `expect:` on that item


def test_a_timeline_message_is_linked_to_the_contact_that_took_it(desk, attempt):
    event = db.session.scalar(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.key == "email-duplicata-facture"
        )
    )
    now = utcnow()
    assert claim(event.id, now, "test")
    fire(event.id, now, "test", TickReport())
    conversation = db.session.get(Conversation, event.result["conversation_id"])
    taken = take_conversation(desk.base, conversation)
    found = AttemptEvidence(attempt).expectations["email-duplicata-facture"]
    assert (found.contact_id, found.expect) == (taken.contact.id, {"qualification": "INFO"})
