"""Small typed checks shared by the step classes and the script validator."""

from __future__ import annotations

from collections.abc import Callable

#: Reports one problem: add(path, message).
Problem = Callable[[str, str], None]
_MISSING = object()


def check_text(spec: dict, key: str, path: str, add: Problem, *, required: bool) -> None:
    """A non-empty string (required or optional)."""
    value = spec.get(key, _MISSING)
    if value is _MISSING:
        if required:
            add(f"{path}.{key}", "is required")
        return
    if not isinstance(value, str) or not value.strip():
        add(f"{path}.{key}", "must be a non-empty text")


def check_texts(value, path: str, add: Problem) -> None:
    """A non-empty text or a non-empty list of non-empty texts."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        add(path, "must be a text or a non-empty list of texts")
        return
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            add(f"{path}[{i}]", "must be a non-empty text")
