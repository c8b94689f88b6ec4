"""xAPI statements of an attempt: 1.0.3 shape, stable ids, content per verb, no personal data."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.verbs import ADL, PLATEAU
from crm.db import db
from crm.evaluation.xapi import vocabulary as v
from crm.evaluation.xapi.results import iso_duration, result_for
from crm.evaluation.xapi.statements import (
    StatementBuilder,
    attempt_statements,
    object_activity,
    registration,
)
from crm.training.models import Attempt
from tests.evaluation.xapi.conftest import BAD_CARD, CARD, NOTE, SAID
from tests.evaluation.xapi.spec import DURATION, problems_of, timestamp_ok

BASE = "https://plateau.example"
EXT = v.EXTENSIONS


def _actions(attempt_id: int) -> list[Action]:
    query = sa.select(Action).where(Action.attempt_id == attempt_id).order_by(Action.seq)
    return list(db.session.scalars(query))


def _by_log_verb(statements: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for statement in statements:
        found.setdefault(statement["context"]["extensions"][v.EXT_LOG_VERB], []).append(statement)
    return found


@pytest.fixture
def statements(sale):
    return attempt_statements(db.session.get(Attempt, sale.attempt_id))


def test_one_valid_statement_per_action_in_log_order(sale, statements):
    actions = _actions(sale.attempt_id)
    assert len(statements) == len(actions) > 20
    for action, statement in zip(actions, statements, strict=True):
        assert problems_of(statement) == [], (action.verb, statement)
        assert statement["context"]["extensions"][v.EXT_SEQ] == action.seq
        assert statement["context"]["extensions"][v.EXT_HASH] == action.hash
    assert len({s["id"] for s in statements}) == len(statements)


def test_the_checker_catches_what_the_spec_forbids(statements):
    """The shape checker is not a rubber stamp: each broken statement is reported."""
    good = statements[0]
    broken = [
        {**good, "id": "not-a-uuid"},
        {**good, "verb": {"id": "completed"}},
        {**good, "actor": {"objectType": "Agent", "name": "x"}},
        {**good, "timestamp": "2026-11-25T10:00:00"},
        {**good, "result": {"duration": "12 seconds"}},
        {**good, "context": {**good["context"], "registration": "1234"}},
        {k: val for k, val in good.items() if k != "object"},
    ]
    for statement in broken:
        assert problems_of(statement), statement


def test_actor_is_the_candidate_account_only(statements):
    for statement in statements:
        assert statement["actor"] == {
            "objectType": "Agent",
            "account": {"homePage": BASE, "name": "candidat1"},
        }


def test_ids_are_stable_and_registration_is_the_attempt(sale, statements, app):
    attempt = db.session.get(Attempt, sale.attempt_id)
    again = attempt_statements(attempt)
    assert [s["id"] for s in again] == [s["id"] for s in statements]
    reg = registration(attempt)
    assert {s["context"]["registration"] for s in statements} == {reg}
    assert uuid.UUID(reg).version == 5 and uuid.UUID(statements[0]["id"]).version == 5
    # Another installation, or a rebuilt database whose attempt 1 is another attempt: new ids.
    other_base = StatementBuilder(attempt, "https://lms.example.org/plateau").statements(
        _actions(attempt.id)[:1]
    )
    assert other_base[0]["id"] != statements[0]["id"]
    attempt.created_at = attempt.created_at + timedelta(seconds=1)
    assert registration(attempt) != reg


def test_each_attempt_has_its_own_registration(sale, other_attempt):
    first = db.session.get(Attempt, sale.attempt_id)
    assert registration(first) != registration(other_attempt)
    theirs = attempt_statements(other_attempt)
    assert theirs[0]["actor"]["account"]["name"] == "candidat2"
    assert theirs[0]["context"]["registration"] == registration(other_attempt)


def test_timestamps_are_the_actions_times_with_offset(sale, statements):
    for action, statement in zip(_actions(sale.attempt_id), statements, strict=True):
        assert timestamp_ok(statement["timestamp"])
        assert statement["timestamp"].endswith("+00:00")
        assert abs(action.at - datetime.fromisoformat(statement["timestamp"])) < timedelta(
            milliseconds=1
        )


def test_context_names_attempt_shift_and_scenario(sale, statements, shift):
    context = statements[0]["context"]
    assert context["platform"] == "Plateau" and context["language"] == "fr-FR"
    activities = context["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == [f"{BASE}/attempts/{sale.attempt_id}"]
    assert [a["id"] for a in activities["grouping"]] == [
        f"{BASE}/shifts/{shift.id}",
        f"{BASE}/scenarios/bureau-direct",
    ]
    # Every shift is opened with its standard (MC ACVAD unless chosen): it is the category.
    assert activities["category"][0]["id"] == f"{BASE}/standards/mc-acvad-referentiel-certification"
    shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    bare = attempt_statements(db.session.get(Attempt, sale.attempt_id))[0]
    assert "category" not in bare["context"]["contextActivities"]
    shift.standard = "mc-acvad-referentiel-certification"
    db.session.commit()
    with_standard = attempt_statements(db.session.get(Attempt, sale.attempt_id))[0]
    category = with_standard["context"]["contextActivities"]["category"]
    assert category[0]["id"] == f"{BASE}/standards/mc-acvad-referentiel-certification"


@pytest.mark.parametrize(
    ("log_verb", "verb_iri", "object_path", "expected_result"),
    [
        ("attempt.started", ADL + "launched", "", None),
        ("client.searched", PLATEAU + "searched", "/clients", {"extensions": {"result-count": 1}}),
        ("identity.verified", PLATEAU + "verified", "/clients/{client_id}", {"success": True}),
        ("product.searched", PLATEAU + "searched", "/products", {}),
        ("order.created", PLATEAU + "created", "/orders/{order_id}", None),
        ("order.out_of_stock", PLATEAU + "encountered", "/orders/{order_id}", {"success": False}),
        ("offer.made", PLATEAU + "offered", "/orders/{order_id}", {"response": "accepted"}),
        ("order.recap_read", PLATEAU + "read", "/orders/{order_id}", None),
        (
            "order.confirmed",
            ADL + "completed",
            "/orders/{order_id}",
            {"success": True, "extensions": {"lines": 2, "additional-lines": 1}},
        ),
        (
            "payment.refused",
            PLATEAU + "refused",
            "/payments/",
            {"success": False, "extensions": {"refusal-reasons": ["luhn"]}},
        ),
        (
            "payment.recorded",
            PLATEAU + "paid",
            "/payments/",
            {"success": True, "extensions": {"payment-method": "card"}},
        ),
        ("contact.opened", ADL + "initialized", "/contacts/{contact_id}", None),
        (
            "contact.qualified",
            PLATEAU + "qualified",
            "/contacts/{contact_id}",
            {"response": "VENTE"},
        ),
        ("agent.logged_on", ADL + "initialized", "/phone/", None),
        ("call.offered", PLATEAU + "received", "/calls/{call_id}", None),
        ("call.answered", PLATEAU + "answered", "/calls/{call_id}", None),
        ("call.said", ADL + "responded", "/calls/{call_id}", None),
        (
            "call.ended",
            ADL + "terminated",
            "/calls/{call_id}",
            {"extensions": {"ended-by": "agent"}},
        ),
    ],
)
def test_statement_per_verb(sale, statements, log_verb, verb_iri, object_path, expected_result):
    statement = _by_log_verb(statements)[log_verb][-1]
    assert statement["verb"]["id"] == verb_iri
    assert set(statement["verb"]["display"]) == {"fr-FR", "en-US"}
    root = f"{BASE}/attempts/{sale.attempt_id}"
    assert statement["object"]["id"].startswith(root + object_path.format(**vars(sale)))
    assert statement["object"]["definition"]["type"].startswith(("https://", "http://"))
    if expected_result is None:
        assert "result" not in statement
        return
    result = statement.get("result", {})
    for key, value in expected_result.items():
        if key == "extensions":
            for name, expected in value.items():
                assert result["extensions"][EXT + name] == expected, (name, result)
        else:
            assert result[key] == value


def test_amounts_and_durations_come_from_the_log(sale, statements):
    actions = {a.verb: a for a in _actions(sale.attempt_id)}
    found = _by_log_verb(statements)
    confirmed = found["order.confirmed"][-1]["result"]["extensions"]
    assert confirmed[EXT + "amount"] == actions["order.confirmed"].payload["total"]
    paid = found["payment.recorded"][-1]["result"]["extensions"]
    assert paid[EXT + "amount"] == actions["payment.recorded"].payload["amount"]
    ended = found["call.ended"][-1]["result"]
    assert ended["duration"] == iso_duration(actions["call.ended"].payload["duration_seconds"])
    qualified = found["contact.qualified"][-1]["result"]
    assert DURATION.match(qualified["duration"])
    assert qualified["extensions"][EXT + "qualification-family"]


def test_verbs_and_names_in_french_and_english(statements):
    confirmed = _by_log_verb(statements)["order.confirmed"][-1]
    assert confirmed["verb"]["display"] == {
        "fr-FR": "Commande confirmée",
        "en-US": "Order confirmed",
    }
    name = confirmed["object"]["definition"]["name"]
    assert name["fr-FR"].startswith("Commande n° ") and name["en-US"].startswith("Order no. ")


def test_trainer_actions_name_the_trainer_as_instructor(statements):
    started = _by_log_verb(statements)["attempt.started"][0]
    assert started["actor"]["account"]["name"] == "candidat1"
    assert started["context"]["instructor"]["account"] == {"homePage": BASE, "name": "formateur"}
    assert started["context"]["extensions"][v.EXT_ACTOR_ROLE] == "trainer"
    said = _by_log_verb(statements)["call.said"][0]
    assert "instructor" not in said["context"]


def test_no_card_and_no_personal_data_leave_in_statements(sale, statements, api):
    text = json.dumps(statements, ensure_ascii=False)
    file = api.as_("candidat1").get(f"/clients/{sale.client_id}").get_json()
    payments = [a.payload for a in _actions(sale.attempt_id) if a.verb.startswith("payment.")]
    masked = {p["masked_card"] for p in payments}
    assert masked and all("*" in m for m in masked)
    forbidden = [
        CARD.replace(" ", ""),
        BAD_CARD.replace(" ", ""),
        *masked,
        file["number"],
        file["name"],
        *file["phones"],
        *(file.get("emails") or []),
        NOTE,
        "Dubois",
        SAID,
    ]
    for value in forbidden:
        assert value and value not in text, value
    assert "mbox" not in text and "mailto:" not in text


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (None, None),
        (0, "PT0S"),
        (0.18, "PT0.18S"),
        (12.5, "PT12.5S"),
        (59.999, "PT1M"),
        (754.25, "PT12M34.25S"),
        (3723.5, "PT1H2M3.5S"),
        (7200, "PT2H"),
    ],
)
def test_iso_durations(seconds, expected):
    assert iso_duration(seconds) == expected
    if expected:
        assert DURATION.match(expected)


@pytest.mark.parametrize(
    ("verb", "payload", "expected", "kept_out"),
    [
        (
            "plan.created",
            {"client": "C10002", "total": "300.00", "installments": [{}, {}, {}]},
            {"amount": "300.00", "installments": 3},
            ["C10002"],
        ),
        (
            "promise.recorded",
            {"invoice": "F-1", "amount": "50", "method": "transfer", "client_id": 4},
            {"amount": "50.00", "payment-method": "transfer"},
            ["F-1"],
        ),
        (
            "reminder.sent",
            {"level": 2, "channel": "email", "recipient": "a@b.fr", "body": "Madame Dubois"},
            {"dunning-level": 2, "channel": "email"},
            ["a@b.fr", "Dubois"],
        ),
        (
            "claim.opened",
            {"category": "delivery", "description": "Colis abîmé chez M. Martin"},
            {"claim-category": "delivery"},
            ["Martin"],
        ),
        (
            "kb.searched",
            {"query": "retour M. Martin", "results": 3},
            {"result-count": 3},
            ["Martin"],
        ),
        (
            "message.sent",
            {"channel": "email", "within_deadline": True, "answer_delay_seconds": 95,
             "to": "client@example.org", "body": "Bonjour Mme Durand"},
            {"channel": "email", "within-deadline": True, "answer-delay": "PT1M35S"},
            ["client@example.org", "Durand"],
        ),
        (
            "call.transferred",
            {"duration_seconds": 30, "target": "comptabilite", "number": "0465711305"},
            {"transfer-target": "comptabilite"},
            ["0465711305"],
        ),
    ],
)  # fmt: skip
def test_results_of_other_families_keep_measures_only(verb, payload, expected, kept_out):
    result = result_for(verb, payload)
    assert {k.removeprefix(EXT): val for k, val in result["extensions"].items()} == expected
    for value in kept_out:
        assert value not in json.dumps(result)


def test_verbs_without_a_result_and_empty_results():
    assert result_for("callback.scheduled", {"reason": "Rappeler Mme Durand"}) is None
    assert result_for("kb.searched", {}) is None  # nothing measured: no empty result object


def test_objects_of_unlisted_types_and_searches(sale):
    attempt = db.session.get(Attempt, sale.attempt_id)
    action = Action(verb="note.added", object_type="timeline_event", object_id=3)
    activity = object_activity(action, attempt, BASE)
    assert activity["id"] == f"{BASE}/attempts/{attempt.id}/objects/timeline_event/3"
    assert problems_of({"actor": {"account": {"homePage": BASE, "name": "x"}},
                        "verb": {"id": ADL + "x"}, "object": activity}) == []  # fmt: skip
    lost = Action(verb="call.abandoned", object_type=None, object_id=None)
    assert object_activity(lost, attempt, BASE)["id"] == f"{BASE}/attempts/{attempt.id}/calls"
