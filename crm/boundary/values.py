"""What no database can store: integers past its range, NUL bytes, lone surrogates."""

from __future__ import annotations

from crm.boundary.integers import DB_INT_MAX, DB_INT_MIN, in_db_range
from crm.i18n import _

#: Problems reported per request at most: enough to fix a body, not a report of every leaf.
MAX_PROBLEMS = 20


def text_problem(text: str) -> str | None:
    """Why this text cannot be stored, or None.

    PostgreSQL refuses NUL in text; a lone UTF-16 surrogate (JSON "\\ud800") is no character
    at all and cannot be encoded to UTF-8 by any driver.
    """
    if "\x00" in text:
        return _("Caractère nul (U+0000) interdit.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _("Texte invalide : demi-caractère Unicode isolé (U+D800 à U+DFFF).")
    return None


def number_problem(value: int) -> str | None:
    """Why this integer cannot be stored, or None."""
    if in_db_range(value):
        return None
    return _("Nombre hors limites (de %(min)s à %(max)s).", min=DB_INT_MIN, max=DB_INT_MAX)


def printable(name: str) -> str:
    """A field name fit to be shown and sent back in JSON (NUL and surrogates escaped)."""
    if text_problem(name) is None:
        return name
    return name.encode("unicode_escape").decode("ascii")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def json_problems(data) -> dict[str, str]:
    """Field path (`card.number`, `installments[0].amount`) → problem, for every value of a
    parsed JSON document that cannot be stored; keys are checked like values.

    Iterative, so a deeply nested document the parser accepted cannot exhaust the stack here.
    """
    problems: dict[str, str] = {}
    stack: list[tuple[str, object]] = [("", data)]
    while stack and len(problems) < MAX_PROBLEMS:
        path, value = stack.pop()
        problem = None
        if isinstance(value, str):
            problem = text_problem(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            problem = number_problem(value)
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                name = _join(path, printable(key))
                key_problem = text_problem(key)
                if key_problem:
                    problems.setdefault(name, key_problem)
                children.append((name, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
        if problem:
            problems.setdefault(path or "body", problem)
    return problems


def text_field_problems(pairs) -> dict[str, str]:
    """Name → problem for (name, text) pairs: query strings, form fields, path segments."""
    problems: dict[str, str] = {}
    for name, text in pairs:
        if len(problems) >= MAX_PROBLEMS:
            break
        for part in (name, text):
            problem = text_problem(part) if isinstance(part, str) else None
            if problem:
                problems.setdefault(printable(name), problem)
    return problems
