"""The registry of step types of a scripted customer: each step is a small class.

A step says what the customer says when it begins (`say`) and, for waiting steps, what it waits
for: an action in the log, words in the candidate's turn, or an offer. While waiting, the
customer nudges after a silence (`nudge`, `nudge_after`) and may give up (`give_up`: an angry
hang-up). Steps never keep state: the engine does, so a script stays plain data.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.i18n import lazy as _l
from softphone.scenarios.checks import Problem, check_text, check_texts
from softphone.scenarios.persona import DEFAULT_NUDGES, Persona
from softphone.scenarios.text import mentions

OUTCOMES = ("satisfied", "angry")
OFFER_KINDS = ("substitute", "additional")
#: Phrases by which the candidate makes an offer out loud (before recording it in the CRM).
OFFER_WORDS = {
    "substitute": [
        "je vous propose",
        "je peux vous proposer",
        "a la place",
        "remplacer",
        "equivalent",
        "substitution",
    ],
    "additional": [
        "je vous propose",
        "je peux vous proposer",
        "en complement",
        "avec ceci",
        "egalement",
        "profiter",
    ],
}

_MISSING = object()


@dataclass(frozen=True)
class Outcome:
    """What a step does when it begins or is satisfied."""

    lines: tuple[str, ...] = ()
    #: Id of the step to go to next (None: the following step).
    goto: str | None = None
    #: "satisfied" or "angry" when the conversation is over.
    end: str | None = None
    hang_up: bool = False


def action_matches(pattern: dict, action: dict) -> bool:
    """Whether an action has the pattern's verb and at least the pattern's payload values."""
    if action.get("verb") != pattern.get("verb"):
        return False
    return _subset(pattern.get("payload") or {}, action.get("payload") or {})


def _subset(wanted: dict, have: dict) -> bool:
    """Whether every wanted value (recursively) is in `have`."""
    for key, value in wanted.items():
        got = have.get(key, _MISSING) if isinstance(have, dict) else _MISSING
        if isinstance(value, dict):
            if not isinstance(got, dict) or not _subset(value, got):
                return False
        elif got != value:
            return False
    return True


def _lines(*texts) -> tuple[str, ...]:
    """The non-empty texts, as the lines of an outcome."""
    return tuple(t for t in texts if t)


class Step:
    """Base: a step that says its line and moves on."""

    type = ""
    waits = False
    #: Keys this step type accepts besides `type`, `id` and `say`.
    keys: frozenset[str] = frozenset()

    def __init__(self, spec: dict):
        """Keep the step's mapping from the script."""
        self.spec = spec

    @property
    def id(self) -> str | None:
        """The step's id, the target of branches."""
        return self.spec.get("id")

    def enter(self, persona: Persona) -> Outcome:
        """What the customer says when the step begins."""
        return Outcome(_lines(self.spec.get("say")))

    def on_action(self, action: dict, persona: Persona) -> Outcome | None:
        """The outcome when this action satisfies the step, else None."""
        return None

    def on_said(self, text: str, persona: Persona) -> Outcome | None:
        """The outcome when the candidate's words satisfy the step, else None."""
        return None

    def nudges(self, persona: Persona) -> list[str]:
        """What the customer says after each silence, in order."""
        value = self.spec.get("nudge")
        if value is None:
            return list(DEFAULT_NUDGES[persona.language][persona.temper])
        return [value] if isinstance(value, str) else list(value)

    def nudge_after(self, default: float) -> float:
        """Seconds of silence before a nudge."""
        return float(self.spec.get("nudge_after", default))

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """Report what is wrong in this step's own keys."""
        check_text(spec, "say", path, add, required=cls is Say)


class Say(Step):
    """The customer says something and the script goes on."""

    type = "say"


class Waiting(Step):
    """Base of steps that wait, nudge after a silence and may give up."""

    waits = True
    keys = frozenset({"nudge", "nudge_after", "give_up", "reply"})

    def _satisfied(self) -> Outcome:
        """The reply, if any, when what the step waited for came."""
        return Outcome(_lines(self.spec.get("reply")))

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """Say, reply and give-up texts, nudges, and the silence delay."""
        check_text(spec, "say", path, add, required=False)
        check_text(spec, "reply", path, add, required=False)
        check_text(spec, "give_up", path, add, required=False)
        if "nudge" in spec:
            check_texts(spec["nudge"], f"{path}.nudge", add)
        delay = spec.get("nudge_after", 1)
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay <= 0:
            add(f"{path}.nudge_after", _l("doit être un nombre de secondes positif"))


class WaitForAction(Waiting):
    """Waits for an action in the log: a verb, optionally with payload values."""

    type = "wait_for_action"
    keys = Waiting.keys | {"action"}

    def patterns(self) -> list[dict]:
        """The actions any of which satisfies the step."""
        wanted = self.spec["action"]
        return [wanted] if isinstance(wanted, dict) else list(wanted)

    def on_action(self, action: dict, persona: Persona) -> Outcome | None:
        """Satisfied by an action matching one of the patterns."""
        if any(action_matches(p, action) for p in self.patterns()):
            return self._satisfied()
        return None

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """`action`: {verb, payload?} or a non-empty list of them."""
        super().check(spec, path, add)
        wanted = spec.get("action", _MISSING)
        if wanted is _MISSING:
            add(f"{path}.action", _l("obligatoire"))
            return
        patterns = [wanted] if isinstance(wanted, dict) else wanted
        if not isinstance(patterns, list) or not patterns:
            add(
                f"{path}.action",
                _l(
                    "doit être %(shape)s ou une liste non vide de ceux-ci",
                    shape="{verb, payload?}",
                ),
            )
            return
        for i, pattern in enumerate(patterns):
            where = f"{path}.action" if isinstance(wanted, dict) else f"{path}.action[{i}]"
            if not isinstance(pattern, dict):
                add(where, _l("doit être un mapping %(shape)s", shape="{verb, payload?}"))
                continue
            extra = set(pattern) - {"verb", "payload"}
            if extra:
                add(where, _l("clé(s) inconnue(s) : %(keys)s", keys=", ".join(sorted(extra))))
            check_text(pattern, "verb", where, add, required=True)
            if "payload" in pattern and not isinstance(pattern["payload"], dict):
                add(f"{where}.payload", _l("doit être un mapping des valeurs à retrouver"))


class WaitForWords(Waiting):
    """Waits for the candidate to say any of some words (case and accents ignored)."""

    type = "wait_for_words"
    keys = Waiting.keys | {"words"}

    def on_said(self, text: str, persona: Persona) -> Outcome | None:
        """Satisfied when the turn mentions one of the words."""
        if mentions(text, self.spec["words"]):
            return self._satisfied()
        return None

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """`words`: a non-empty list of texts."""
        super().check(spec, path, add)
        if "words" not in spec:
            add(f"{path}.words", _l("obligatoire"))
        elif not isinstance(spec["words"], list):
            add(f"{path}.words", _l("doit être une liste non vide de textes"))
        else:
            check_texts(spec["words"], f"{path}.words", add)


class BranchOnOffer(Waiting):
    """Waits for an offer (recorded, or made out loud) and accepts or refuses it per persona."""

    type = "branch_on_offer"
    keys = Waiting.keys | {
        "kind",
        "words",
        "accepts",
        "accept_say",
        "refuse_say",
        "on_accept",
        "on_refuse",
    }

    def accepts(self, persona: Persona) -> bool:
        """The customer's answer: the step's own, else the persona's."""
        if "accepts" in self.spec:
            return bool(self.spec["accepts"])
        if self.spec["kind"] == "substitute":
            return persona.accepts_substitute
        return persona.accepts_additional

    def _answer(self, persona: Persona) -> Outcome:
        """Accept or refuse, and go to the matching branch."""
        if self.accepts(persona):
            return Outcome(_lines(self.spec["accept_say"]), goto=self.spec.get("on_accept"))
        return Outcome(_lines(self.spec["refuse_say"]), goto=self.spec.get("on_refuse"))

    def on_action(self, action: dict, persona: Persona) -> Outcome | None:
        """An offer of this kind recorded in the CRM."""
        pattern = {"verb": "offer.made", "payload": {"kind": self.spec["kind"]}}
        return self._answer(persona) if action_matches(pattern, action) else None

    def on_said(self, text: str, persona: Persona) -> Outcome | None:
        """An offer of this kind made out loud."""
        words = self.spec.get("words") or OFFER_WORDS[self.spec["kind"]]
        return self._answer(persona) if mentions(text, words) else None

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """Kind, both answers, optional words, accepts and branch targets."""
        super().check(spec, path, add)
        if spec.get("kind") not in OFFER_KINDS:
            add(
                f"{path}.kind",
                _l("doit être l'un de : %(choices)s", choices=", ".join(OFFER_KINDS)),
            )
        check_text(spec, "accept_say", path, add, required=True)
        check_text(spec, "refuse_say", path, add, required=True)
        if "words" in spec:
            check_texts(spec["words"], f"{path}.words", add)
        if "accepts" in spec and not isinstance(spec["accepts"], bool):
            add(f"{path}.accepts", _l("doit être true ou false"))
        for key in ("on_accept", "on_refuse"):
            check_text(spec, key, path, add, required=False)


class End(Step):
    """The conversation ends: satisfied, or angry (the customer hangs up)."""

    type = "end"
    keys = frozenset({"outcome", "hang_up"})

    def enter(self, persona: Persona) -> Outcome:
        """Say the last line; an angry customer hangs up unless the step says otherwise."""
        outcome = self.spec.get("outcome", "satisfied")
        hang_up = self.spec.get("hang_up", outcome == "angry")
        return Outcome(_lines(self.spec.get("say")), end=outcome, hang_up=hang_up)

    @classmethod
    def check(cls, spec: dict, path: str, add: Problem) -> None:
        """Outcome and hang_up."""
        super().check(spec, path, add)
        if spec.get("outcome", "satisfied") not in OUTCOMES:
            add(
                f"{path}.outcome",
                _l("doit être l'un de : %(choices)s", choices=", ".join(OUTCOMES)),
            )
        if "hang_up" in spec and not isinstance(spec["hang_up"], bool):
            add(f"{path}.hang_up", _l("doit être true ou false"))


STEP_TYPES: dict[str, type[Step]] = {
    "say": Say,
    "wait_for_action": WaitForAction,
    "wait_for_words": WaitForWords,
    "branch_on_offer": BranchOnOffer,
    "end": End,
}
