"""The validator on the `surveys` section: shapes, branches, cycles, reach and quotas, each
problem named by its path; the loader attaches the questionnaire to its campaign."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm.campaigns.models import Campaign
from crm.db import db
from crm.training.scenario_schema import ScenarioProblem, load_scenario_file, validate_scenario

PACK = Path(__file__).resolve().parents[2] / "seed_data" / "scenarios"
FILE = "enquete-ostral-bureaux.yaml"
S = "surveys[0]"


@pytest.fixture
def pack(app) -> dict:
    """The shipped pack, read in an application (the scripted customers' validator runs)."""
    data, problems = load_scenario_file(PACK / FILE)
    assert problems == []
    return data


@pytest.fixture
def doc(pack) -> dict:
    return copy.deepcopy(pack)


def _problems(d) -> dict[str, str]:
    return {p.path: p.message for p in validate_scenario(d, FILE)}


def _q(d, key) -> tuple[int, dict]:
    questions = d["surveys"][0]["questions"]
    i = next(i for i, q in enumerate(questions) if q["key"] == key)
    return i, questions[i]


def test_the_shipped_survey_pack_is_valid(pack):
    assert validate_scenario(pack, FILE) == []


def test_a_branch_to_an_unknown_question_is_named(doc):
    i, q = _q(doc, "teletravail")
    q["next"] = {"oui": "jour", "non": "amenagement"}
    problems = _problems(doc)
    message = problems[f"{S}.questions[{i}].next.oui"]
    assert "question 'jour' introuvable" in message and "vouliez-vous dire 'jours'" in message


def test_a_branch_on_an_answer_the_question_does_not_have_is_named(doc):
    i, q = _q(doc, "teletravail")
    q["next"] = {"peut-etre": "jours", "non": "amenagement"}
    assert "réponse 'peut-etre' introuvable" in _problems(doc)[f"{S}.questions[{i}].next.peut-etre"]


def test_a_cycle_in_the_branching_is_refused(doc):
    i, q = _q(doc, "budget")
    q["next"] = "effectif"
    problems = _problems(doc)
    assert "tourne en boucle" in problems[f"{S}.questions[{i}].next"]
    assert "effectif" in problems[f"{S}.questions[{i}].next"]


def test_an_unreachable_question_is_refused(doc):
    i, q = _q(doc, "effectif")
    q["next"] = "amenagement"  # teletravail and jours are never asked
    problems = _problems(doc)
    t, _ = _q(doc, "teletravail")
    assert "ne peut jamais être posée" in problems[f"{S}.questions[{t}].key"]


def test_quotas_on_unknown_answers_or_questions_are_refused(doc):
    quotas = doc["surveys"][0]["quotas"]
    quotas[0]["answers"] = ["500-plus"]
    quotas[1]["question"] = "taille"
    quotas[2]["question"] = "satisfaction"
    problems = _problems(doc)
    assert "réponse '500-plus' introuvable" in problems[f"{S}.quotas[0].answers[0]"]
    assert "question 'taille' introuvable" in problems[f"{S}.quotas[1].question"]
    assert "question à choix" in problems[f"{S}.quotas[2].question"]


def test_kinds_options_and_bounds_are_checked(doc):
    i, q = _q(doc, "jours")
    q.update(min=4, max=2)
    j, choice = _q(doc, "effectif")
    choice["options"] = [{"value": "seul", "label": "Seul"}]
    k, text = _q(doc, "commentaire")
    text["kind"] = "essay"
    problems = _problems(doc)
    assert "doit dépasser min" in problems[f"{S}.questions[{i}].max"]
    assert "au moins deux options" in problems[f"{S}.questions[{j}].options"]
    assert "essay" in problems[f"{S}.questions[{k}].kind"]


def test_a_survey_needs_an_outbound_campaign_of_the_pack(doc):
    doc["surveys"][0]["campaign"] = "enquete-bureaux"
    message = _problems(doc)[f"{S}.campaign"]
    assert "campagne 'enquete-bureaux' introuvable" in message


def test_unknown_keys_are_named(doc):
    doc["surveys"][0]["quota"] = []
    assert "vouliez-vous dire 'quotas'" in _problems(doc)[f"{S}.quota"]


def test_the_loader_attaches_the_questionnaire_to_its_campaign(app, people, make_user):
    from crm.training.services import create_shift

    shift = create_shift("enquete-ostral-bureaux", [people["cand1"]], created_by=people["trainer"])
    db.session.flush()
    attempt = shift.attempts[0]
    campaign = db.session.scalar(
        sa.select(Campaign).where(
            Campaign.attempt_id == attempt.id, Campaign.key == "enquete-bureaux-2026"
        )
    )
    survey = campaign.settings["survey"]
    assert survey["key"] == "bureaux-2026"
    assert [q["key"] for q in survey["questions"]][:3] == ["effectif", "teletravail", "jours"]
    assert len(campaign.settings["call_plan"]) == 30


def _slots(value, trail=()):
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        yield (*trail, key)
        if isinstance(item, dict | list):
            yield from _slots(item, (*trail, key))


def test_any_survey_value_replaced_by_garbage_never_raises(doc):
    doc["clients"] = doc["clients"][:2]
    doc["campaigns"][0]["call_plan"] = doc["campaigns"][0]["call_plan"][:2]
    for slot in [("surveys",), ("campaigns",), *_slots(doc["surveys"], ("surveys",))]:
        target = doc
        for key in slot[:-1]:
            target = target[key]
        original = target[slot[-1]]
        for junk in (None, [], {}, "x", 7, [{}], {"a": None}):
            target[slot[-1]] = junk
            problems = validate_scenario(doc, FILE)  # must not raise
            assert all(isinstance(p, ScenarioProblem) for p in problems), slot
        target[slot[-1]] = original
