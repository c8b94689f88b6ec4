"""Checking a scripted customer before it is played: every problem, located by its path.

Messages are lazy French source text like the scenario validator's
(`crm.training.scenario_schema`), which the scenario timeline feeds these scripts through: they
are worded in the reader's language where they are shown (`str(problem)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.i18n import lazy as _l
from softphone.scenarios.checks import check_text
from softphone.scenarios.persona import TEMPERS
from softphone.scenarios.steps import STEP_TYPES

_COMMON_KEYS = {"type", "id", "say"}
_PERSONA_KEYS = {"name", "temper", "accepts_substitute", "accepts_additional", "language"}
_SCRIPT_KEYS = {"key", "title", "persona", "nudge_after", "steps"}
_VERB = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")


@dataclass(frozen=True)
class ScriptProblem:
    """One thing wrong in a script, located by its path (``script.steps[2].words``)."""

    path: str
    message: object  #: lazy French source text (str() words it in the current language)

    def __str__(self) -> str:
        """``path: message``."""
        return f"{self.path}: {self.message}"


def validate_script(
    script: object, path: str = "script", known_verbs: set[str] | None = None
) -> list[ScriptProblem]:
    """Every problem of a script (persona, steps, branch targets); an empty list when sound."""
    problems: list[ScriptProblem] = []

    def add(where: str, message) -> None:
        """Collect one problem."""
        problems.append(ScriptProblem(where, message))

    if not isinstance(script, dict):
        add(path, _l("doit être un mapping avec persona et steps"))
        return problems
    _unknown(script, _SCRIPT_KEYS, path, add)
    check_text(script, "key", path, add, required=False)
    _check_persona(script.get("persona"), f"{path}.persona", add)
    delay = script.get("nudge_after", 1)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or delay <= 0:
        add(f"{path}.nudge_after", _l("doit être un nombre de secondes positif"))
    steps = script.get("steps")
    if not isinstance(steps, list) or not steps:
        add(f"{path}.steps", _l("doit être une liste non vide d'étapes"))
        return problems
    ids = _check_ids(steps, path, add)
    for i, step in enumerate(steps):
        _check_step(step, f"{path}.steps[{i}]", ids, known_verbs, add)
    return problems


def _unknown(mapping: dict, allowed: set, path: str, add) -> None:
    """Report keys that are not allowed (a typo would otherwise be ignored)."""
    extra = sorted(str(k) for k in set(mapping) - allowed)
    if extra:
        add(path, _l("clé(s) inconnue(s) : %(keys)s", keys=", ".join(extra)))


def _check_persona(persona: object, path: str, add) -> None:
    """Name, temper, offer answers and language of the persona."""
    if not isinstance(persona, dict):
        add(path, _l("obligatoire : un mapping avec name, temper, accepts_substitute…"))
        return
    _unknown(persona, _PERSONA_KEYS, path, add)
    check_text(persona, "name", path, add, required=True)
    if persona.get("temper", "calm") not in TEMPERS:
        add(f"{path}.temper", _l("doit être l'un de : %(choices)s", choices=", ".join(TEMPERS)))
    for key in ("accepts_substitute", "accepts_additional"):
        if key in persona and not isinstance(persona[key], bool):
            add(f"{path}.{key}", _l("doit être true ou false"))
    if persona.get("language", "fr") not in ("fr", "en"):
        add(f"{path}.language", _l("doit être fr ou en"))


def _check_ids(steps: list, path: str, add) -> set[str]:
    """The steps' ids, each reported once when repeated."""
    seen: set[str] = set()
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or "id" not in step:
            continue
        step_id = step["id"]
        if not isinstance(step_id, str) or not step_id.strip():
            add(f"{path}.steps[{i}].id", _l("doit être un texte non vide"))
        elif step_id in seen:
            add(
                f"{path}.steps[{i}].id",
                _l("%(id)s est déjà l'id d'une étape précédente", id=repr(step_id)),
            )
        else:
            seen.add(step_id)
    return seen


def _check_step(step: object, path: str, ids: set[str], known_verbs, add) -> None:
    """One step: its type, its keys, its branch targets and its verbs."""
    if not isinstance(step, dict):
        add(path, _l("doit être un mapping avec un type"))
        return
    kind = step.get("type")
    if kind not in STEP_TYPES:
        add(f"{path}.type", _l("doit être l'un de : %(choices)s", choices=", ".join(STEP_TYPES)))
        return
    step_class = STEP_TYPES[kind]
    _unknown(step, _COMMON_KEYS | step_class.keys, path, add)
    step_class.check(step, path, add)
    for key in ("on_accept", "on_refuse"):
        target = step.get(key)
        if isinstance(target, str) and target.strip() and target not in ids:
            add(f"{path}.{key}", _l("aucune étape n'a l'id %(id)s", id=repr(target)))
    if kind == "wait_for_action":
        wanted = step.get("action")
        patterns = [wanted] if isinstance(wanted, dict) else wanted
        for i, pattern in enumerate(patterns if isinstance(patterns, list) else []):
            verb = pattern.get("verb") if isinstance(pattern, dict) else None
            if not isinstance(verb, str) or not verb.strip():
                continue
            where = f"{path}.action" if isinstance(wanted, dict) else f"{path}.action[{i}]"
            if not _VERB.match(verb):
                add(
                    f"{where}.verb",
                    _l("%(verb)s n'est pas un verbe comme 'identity.verified'", verb=repr(verb)),
                )
            elif known_verbs is not None and verb not in known_verbs:
                add(
                    f"{where}.verb",
                    _l("%(verb)s n'est pas dans le catalogue des verbes", verb=repr(verb)),
                )
