"""Small typed checks shared by the step classes and the script validator.

Messages are lazy French source text, worded where they are shown (as the scenario validator's,
`crm.training.scenario_schema.problems`).
"""

from __future__ import annotations

from collections.abc import Callable

from crm.i18n import lazy as _l

#: Reports one problem: add(path, message) (a lazy message).
Problem = Callable[[str, object], None]
_MISSING = object()


def check_text(spec: dict, key: str, path: str, add: Problem, *, required: bool) -> None:
    """A non-empty string (required or optional)."""
    value = spec.get(key, _MISSING)
    if value is _MISSING:
        if required:
            add(f"{path}.{key}", _l("obligatoire"))
        return
    if not isinstance(value, str) or not value.strip():
        add(f"{path}.{key}", _l("doit être un texte non vide"))


def check_texts(value, path: str, add: Problem) -> None:
    """A non-empty text or a non-empty list of non-empty texts."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        add(path, _l("doit être un texte ou une liste non vide de textes"))
        return
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            add(f"{path}[{i}]", _l("doit être un texte non vide"))
