"""A standard's criteria decided for one attempt: automatic verdicts from the evidence rules.

`evaluate(attempt, standard)` runs each rule the standard names once, then gives every criterion a
status: automatic criteria take the combination of their rules' verdicts (any not met → not met;
else any met → met; else not observed); judgement criteria are `to_grade`, with their rules'
results kept as aids for the evaluator.

Verdicts computed while the attempt's shift still runs are *provisional*: the log is still
growing, and a "not observed" or "not met" may change before the end (`is_provisional`).
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED, RULES, RuleResult
from crm.evaluation.rules.evidence import AttemptEvidence, log_may_grow
from crm.evaluation.standards import Criterion, Standard
from crm.training.models import Attempt

TO_GRADE = "to_grade"


@dataclass(frozen=True)
class CriterionVerdict:
    """One criterion of a standard, decided (or left to the evaluator) for one attempt."""

    criterion: Criterion
    status: str  # met / not_met / not_observed / to_grade
    explanation: str
    evidence: tuple[int, ...]
    results: tuple[RuleResult, ...]
    #: The actions where the criterion's rules were respected / not respected.
    met_ids: tuple[int, ...] = ()
    not_met_ids: tuple[int, ...] = ()
    #: Decided from a log that is still growing (the shift runs): it may change.
    provisional: bool = False

    def to_dict(self) -> dict:
        """The JSON shape of API.md (Evaluator: /attempts/<id>/evaluation)."""
        c = self.criterion
        return {
            "id": c.id,
            "competency": c.competency_id,
            "competency_title": c.competency_title,
            "text": c.text,
            "mode": c.mode,
            "status": self.status,
            "evidence": list(self.evidence),
            "met_ids": list(self.met_ids),
            "not_met_ids": list(self.not_met_ids),
            "explanation": self.explanation,
            "provisional": self.provisional,
            "rules": [r.to_dict() for r in self.results],
        }


@dataclass(frozen=True)
class StandardEvaluation:
    """Every criterion of one standard for one attempt, with the rule results it used."""

    standard: Standard
    attempt_id: int
    criteria: tuple[CriterionVerdict, ...]
    results: dict[str, RuleResult]
    #: Computed while the shift still runs: every verdict may still change.
    provisional: bool = False

    def to_dict(self) -> dict:
        return {
            "standard": self.standard.to_dict(),
            "attempt_id": self.attempt_id,
            "provisional": self.provisional,
            "criteria": [c.to_dict() for c in self.criteria],
        }


def run_rules(evidence: AttemptEvidence, rule_ids) -> dict[str, RuleResult]:
    """Each named rule's result (a rule unknown to the registry is a programming error)."""
    return {rule_id: RULES[rule_id].evaluate(evidence) for rule_id in dict.fromkeys(rule_ids)}


def combine(results: list[RuleResult]) -> str:
    """The status of an automatic criterion from its rules' verdicts."""
    statuses = {r.status for r in results}
    if NOT_MET in statuses:
        return NOT_MET
    if MET in statuses:
        return MET
    return NOT_OBSERVED


def is_provisional(attempt: Attempt) -> bool:
    """Whether verdicts on this attempt may still change (see `log_may_grow`)."""
    return log_may_grow(attempt)


def evaluate(attempt: Attempt, standard: Standard) -> StandardEvaluation:
    """Decide every criterion of `standard` for `attempt` from its log (reads only)."""
    provisional = is_provisional(attempt)
    evidence = AttemptEvidence(attempt)
    results = run_rules(evidence, [r for c in standard.criteria for r in c.rules])
    verdicts = []
    for criterion in standard.criteria:
        used = tuple(results[r] for r in criterion.rules)
        status = combine(list(used)) if criterion.mode == "automatic" else TO_GRADE
        verdicts.append(
            CriterionVerdict(
                criterion=criterion,
                status=status,
                explanation=" ".join(r.explanation for r in used),
                evidence=tuple(sorted({i for r in used for i in r.evidence})),
                results=used,
                met_ids=tuple(sorted({i for r in used for i in r.met_ids})),
                not_met_ids=tuple(sorted({i for r in used for i in r.not_met_ids})),
                provisional=provisional and bool(used),
            )
        )
    return StandardEvaluation(standard, attempt.id, tuple(verdicts), results, provisional)
