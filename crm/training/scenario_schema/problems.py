"""Problems and how they are worded: ``ScenarioProblem``, the collector, and message helpers.

A problem is located by the path of the offending value in the document (``clients[2].email``);
the helpers here build those paths and describe wrong values in readable words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong in a scenario file, located by its path in the document."""

    file: str
    path: str  #: e.g. ``products[3].sale_unit.quantity``; empty for the whole document
    message: str

    def __str__(self) -> str:
        """``FILE: path: message``, the form ``plateau scenario validate`` prints."""
        if not self.path:
            return f"{self.file}: {self.message}"
        return f"{self.file}: {self.path}: {self.message}"


def _join(path: str, key: object) -> str:
    """The path of ``key`` inside ``path`` ("clients[2]" + "email")."""
    return f"{path}.{key}" if path else str(key)


def _short(value: str, limit: int = 40) -> str:
    """A quoted value for a message, cut short when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _describe(value: object) -> str:
    """How a wrong value reads in a message ("the number 24.9", "a list")."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a value of type {type(value).__name__}"


class ProblemCollector:
    """Collects the problems of one file; the checks and section validators build on it."""

    def __init__(self, file: str):
        """Start with no problem found in ``file``."""
        self.file = file
        self.problems: list[ScenarioProblem] = []

    def add(self, path: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(ScenarioProblem(self.file, path, message))
