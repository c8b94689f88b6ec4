"""Evidence rules: small classes that read an attempt's log and world and return a verdict.

A rule never writes. It receives an `AttemptEvidence` (the attempt, its actions in order and a few
lookups built once per evaluation) and returns a `RuleResult`: met / not met / not observed, the
ids of the actions that prove it, and one French sentence explaining the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

MET = "met"
NOT_MET = "not_met"
NOT_OBSERVED = "not_observed"
RULE_STATUSES = (MET, NOT_MET, NOT_OBSERVED)


@dataclass(frozen=True)
class RuleResult:
    """What a rule decided, why, and the actions that prove it."""

    rule: str
    status: str
    explanation: str
    evidence: tuple[int, ...] = ()
    #: Counts a rule may report besides the verdict (e.g. {"offers": 3, "accepted": 1}).
    figures: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON shape used by the API and the bench."""
        return {
            "rule": self.rule,
            "status": self.status,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "figures": dict(self.figures),
        }


class EvidenceRule:
    """Base class: subclasses set `id` and `title` and implement `evaluate`."""

    id: ClassVar[str]
    #: What the rule checks, in French, shown on the bench beside the verdict.
    title: ClassVar[str]

    def evaluate(self, evidence) -> RuleResult:  # evidence: AttemptEvidence
        raise NotImplementedError

    # Helpers so rules read as sentences.
    def met(self, explanation: str, actions: Iterable = (), **figures) -> RuleResult:
        return RuleResult(self.id, MET, explanation, _ids(actions), figures)

    def not_met(self, explanation: str, actions: Iterable = (), **figures) -> RuleResult:
        return RuleResult(self.id, NOT_MET, explanation, _ids(actions), figures)

    def not_observed(self, explanation: str, **figures) -> RuleResult:
        return RuleResult(self.id, NOT_OBSERVED, explanation, (), figures)


def _ids(actions: Iterable) -> tuple[int, ...]:
    """Action ids, sorted and unique, from actions or ids."""
    return tuple(sorted({a if isinstance(a, int) else a.id for a in actions}))


RULES: dict[str, EvidenceRule] = {}


def register(cls: type[EvidenceRule]) -> type[EvidenceRule]:
    """Class decorator: add a rule to the registry under its id."""
    if cls.id in RULES:
        raise ValueError(f"evidence rule {cls.id!r} registered twice")
    RULES[cls.id] = cls()
    return cls
