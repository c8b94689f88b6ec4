"""Problems and how they are worded: ``ScenarioProblem``, the collector, and message helpers.

A problem is located by the path of the offending value in the document (``clients[2].email``);
the helpers here build those paths and describe wrong values in readable words.

Messages are French source text kept lazy (``crm.i18n.lazy`` imported as ``_l``, and
``lazy_plural`` imported as ``ngettext`` so that pybabel extracts both forms): a problem holds its
template and values, and is worded in the reader's language where it is shown — the request's
on a page or in the API, French (or the CLI's ``--lang``) elsewhere. The library caches the
problems of each file, so wording them once at validation time would freeze one language.
Paths, keys and quoted values are never translated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import LazyString

from crm.i18n import lazy as _l

#: A problem's wording: lazy French source text, or plain text from a plugged-in validator.
Message = str | LazyString


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong in a scenario file, located by its path in the document."""

    file: str
    path: str  #: e.g. ``products[3].sale_unit.quantity``; empty for the whole document
    message: Message  #: worded in the current language each time it is turned into text

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


def _describe(value: object) -> LazyString:
    """How a wrong value reads in a message (« le nombre 24.9 », « une liste »), lazily."""
    if value is None:
        return _l("rien (null)")
    if isinstance(value, bool):
        return _l("le booléen %(value)s", value=str(value).lower())
    if isinstance(value, int | float):
        return _l("le nombre %(value)s", value=repr(value))
    if isinstance(value, datetime):
        return _l("une date-heure")
    if isinstance(value, date):
        return _l("la date %(value)s", value=value.isoformat())
    if isinstance(value, str):
        return _l("le texte %(value)s", value=_short(value))
    if isinstance(value, list):
        return _l("une liste")
    if isinstance(value, dict):
        return _l("un mapping (clé: valeur)")
    return _l("une valeur de type %(type)s", type=type(value).__name__)


class ProblemCollector:
    """Collects the problems of one file; the checks and section validators build on it."""

    def __init__(self, file: str):
        """Start with no problem found in ``file``."""
        self.file = file
        self.problems: list[ScenarioProblem] = []

    def add(self, path: str, message: Message) -> None:
        """Record one problem (``message``: lazy French source text, see the module's doc)."""
        self.problems.append(ScenarioProblem(self.file, path, message))
