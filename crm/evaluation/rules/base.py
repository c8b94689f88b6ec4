"""Evidence rules: small classes that read an attempt's log and world and return a verdict.

A rule never writes. It receives an `AttemptEvidence` (the attempt, its actions in order and a few
lookups built once per evaluation) and returns a `RuleResult`: met / not met / not observed, the
ids of the actions that prove it, and one French sentence explaining the verdict. A verdict rests
on both sides: the actions where the rule was respected (`met_ids`) and those where it was not
(`not_met_ids`); a "not met" that also saw compliant cases names them in its explanation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from crm.i18n import _

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
    #: Every action cited: `met_ids` and `not_met_ids` together.
    evidence: tuple[int, ...] = ()
    #: Counts a rule may report besides the verdict (e.g. {"offers": 3, "accepted": 1}).
    figures: dict = field(default_factory=dict)
    #: Actions where the rule was respected.
    met_ids: tuple[int, ...] = ()
    #: Actions where it was not (what makes a verdict "not met").
    not_met_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        """The JSON shape used by the API and the bench."""
        return {
            "rule": self.rule,
            "status": self.status,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "met_ids": list(self.met_ids),
            "not_met_ids": list(self.not_met_ids),
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
    def met(
        self, explanation: str, actions: Iterable = (), *, missed: Iterable = (), **figures
    ) -> RuleResult:
        """Met on `actions`; `missed`: cases that fell short without deciding the verdict."""
        good, bad = _ids(actions), _ids(missed)
        return RuleResult(self.id, MET, explanation, _ids(good + bad), figures, good, bad)

    def not_met(
        self,
        explanation: str,
        actions: Iterable = (),
        *,
        met: Iterable = (),
        met_text: str | None = None,
        **figures,
    ) -> RuleResult:
        """Not met on `actions`. `met`: the actions where the rule was respected all the same;
        the explanation then names them too (`met_text`, else where they were done)."""
        bad, met = _ids(actions), list(met)
        good = tuple(sorted(set(_ids(met)) - set(bad)))
        if good:
            explanation = f"{explanation} {met_text or respected_sentence(met)}"
        return RuleResult(self.id, NOT_MET, explanation, _ids(good + bad), figures, good, bad)

    def not_observed(self, explanation: str, **figures) -> RuleResult:
        return RuleResult(self.id, NOT_OBSERVED, explanation, (), figures)


def _ids(actions: Iterable) -> tuple[int, ...]:
    """Action ids, sorted and unique, from actions or ids."""
    return tuple(sorted({a if isinstance(a, int) else a.id for a in actions if a is not None}))


def where(action) -> str:
    """Where an action was done, as an evaluator names it: its contact, call or conversation."""
    payload = action.payload or {}
    if action.interaction_type == "contact" and action.interaction_id:
        return _("contact n° %(n)s", n=action.interaction_id)
    if isinstance(payload.get("call_id"), int):
        return _("appel n° %(n)s", n=payload["call_id"])
    if isinstance(payload.get("conversation_id"), int):
        return _("conversation n° %(n)s", n=payload["conversation_id"])
    return _("action n° %(n)s", n=action.seq)


def respected_sentence(actions: Iterable) -> str:
    """« Respecté : contact n° 3, contact n° 5. » for the compliant side of a verdict."""
    places = list(dict.fromkeys(where(a) for a in actions if not isinstance(a, int)))
    if not places:
        return ""
    shown = ", ".join(places[:6])
    if len(places) > 6:
        shown = _("%(items)s et %(n)s de plus", items=shown, n=len(places) - 6)
    return _("Respecté : %(where)s.", where=shown)


RULES: dict[str, EvidenceRule] = {}


def register(cls: type[EvidenceRule]) -> type[EvidenceRule]:
    """Class decorator: add a rule to the registry under its id."""
    if cls.id in RULES:
        raise ValueError(f"evidence rule {cls.id!r} registered twice")
    RULES[cls.id] = cls()
    return cls
