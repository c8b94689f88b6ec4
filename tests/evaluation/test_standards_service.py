"""The standards read as data, the combination of rule verdicts, self-grades and GET /standards."""

from __future__ import annotations

import pytest

from crm import clock
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES, EvidenceRule, RuleResult
from crm.evaluation.self_assessment import SelfAssessment, SelfGrade, self_grades
from crm.evaluation.standards import StandardNotFound, get_standard, list_standards
from crm.evaluation.verdicts import TO_GRADE, combine, evaluate
from crm.extensions import db


def test_every_standard_loads_with_gradeable_items(app):
    counts = {s.id: len(s.criteria) for s in list_standards()}
    assert counts == {
        "cqp-relation-commerciale-a-distance": 20,
        "mc-acvad-referentiel-certification": 78,
        "tp-conseiller-service-client-rncp": 17,
        "tp-crcd-reac-2011": 45,
        "tp-superviseur-rncp-12505": 10,
    }


def test_a_competency_without_criteria_is_graded_as_a_whole(app):
    standard = get_standard("tp-conseiller-service-client-rncp")
    item = standard.criterion("U1.1")
    assert item.whole_competency and item.mode == "judgement"
    assert item.text.startswith("Appliquer les techniques de communication")
    reac = get_standard("tp-crcd-reac-2011")
    assert not any(c.whole_competency for c in reac.criteria)


def test_unknown_standard_is_refused(app):
    with pytest.raises(StandardNotFound):
        get_standard("nope")


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([MET, MET], MET),
        ([MET, NOT_OBSERVED], MET),
        ([MET, NOT_MET], NOT_MET),
        ([NOT_OBSERVED, NOT_MET], NOT_MET),
        ([NOT_OBSERVED, NOT_OBSERVED], NOT_OBSERVED),
        ([], NOT_OBSERVED),
    ],
)
def test_combination_of_rule_verdicts(statuses, expected):
    results = [RuleResult(f"r{i}", s, "") for i, s in enumerate(statuses)]
    assert combine(results) == expected


class _Always(EvidenceRule):
    """A test rule answering a fixed verdict with the attempt's first action as proof."""

    def __init__(self, rule_id, status):
        self.id = rule_id
        self.title = rule_id
        self.status = status

    def evaluate(self, evidence):
        first = evidence.actions[:1]
        if self.status == MET:
            return self.met("Fait.", first)
        if self.status == NOT_MET:
            return self.not_met("Pas fait.", first)
        return self.not_observed("Situation absente.")


@pytest.fixture
def fake_rules():
    """Every rule the REAC names answers `met`, except contacts_qualified (not met)."""
    saved = dict(RULES)
    for rule_id in {r for c in get_standard("tp-crcd-reac-2011").criteria for r in c.rules}:
        RULES[rule_id] = _Always(rule_id, NOT_MET if rule_id == "contacts_qualified" else MET)
    yield
    RULES.clear()
    RULES.update(saved)


def test_evaluate_decides_automatic_criteria_and_leaves_judgement_to_grade(
    app, attempt, fake_rules
):
    result = evaluate(attempt, get_standard("tp-crcd-reac-2011"))
    by_id = {v.criterion.id: v for v in result.criteria}
    automatic = [v for v in result.criteria if v.criterion.mode == "automatic"]
    assert automatic, "the REAC has automatic criteria"
    for verdict in automatic:
        expected = NOT_MET if "contacts_qualified" in verdict.criterion.rules else MET
        assert verdict.status == expected
        assert verdict.evidence, "a decided criterion carries its proof"
    judged = [v for v in by_id.values() if v.criterion.mode == "judgement"]
    assert judged and all(v.status == TO_GRADE for v in judged)
    shape = result.to_dict()["criteria"][0]
    assert set(shape) >= {"id", "competency", "text", "mode", "status", "evidence", "explanation"}


def test_rules_on_a_judgement_criterion_are_aids_not_a_verdict(app, attempt):
    mc = get_standard("mc-acvad-referentiel-certification")
    assert mc.criterion("4.3-C3").mode == "judgement"
    assert mc.criterion("4.3-C3").rules == ("memo_sent",)
    verdict = {v.criterion.id: v for v in evaluate(attempt, mc).criteria}["4.3-C3"]
    assert verdict.status == TO_GRADE  # whatever the rule says, the evaluator decides
    assert [r.rule for r in verdict.results] == ["memo_sent"]
    assert verdict.explanation == verdict.results[0].explanation  # shown to help


def test_self_grades_show_only_a_submitted_assessment(app, attempt):
    assessment = SelfAssessment(attempt_id=attempt.id, standard_id="tp-crcd-reac-2011")
    assessment.grades.append(SelfGrade(criterion_id="CP1-1", grade="acquired"))
    db.session.add(assessment)
    db.session.commit()
    assert self_grades(attempt.id, "tp-crcd-reac-2011") == {}
    assert self_grades(attempt.id, "tp-crcd-reac-2011", submitted_only=False) == {
        "CP1-1": "acquired"
    }
    assessment.submitted_at = clock.now()
    db.session.commit()
    assert self_grades(attempt.id, "tp-crcd-reac-2011") == {"CP1-1": "acquired"}
    assert self_grades(attempt.id, "mc-acvad-referentiel-certification") == {}


def test_api_standards_lists_them_for_evaluators_only(app, people, api):
    answer = api.as_("jury").get("/standards")
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["total"] == 5
    reac = next(s for s in body["items"] if s["id"] == "tp-crcd-reac-2011")
    assert reac["short_title"] == "TP CRCD" and reac["criteria"] == 45
    assert api.as_("formateur").get("/standards").status_code == 200
    assert api.as_("candidat1").get("/standards").status_code == 403
    assert api.get("/standards").status_code == 401


def test_every_registered_rule_may_be_named_by_a_standard(app):
    from tests.evaluation.test_standards_data import ALLOWED_RULES

    assert set(RULES) == ALLOWED_RULES
