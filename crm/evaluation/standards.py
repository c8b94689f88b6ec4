"""The competency standards of seed_data/standards/ (format plateau-standard/1), read as data.

A standard holds groups, each holding competencies, each holding criteria in the official wording.
A criterion is either ``automatic`` (evidence rules decide it, listed in ``rules``) or
``judgement`` (an evaluator decides it; rules listed on it are shown as aids, not as a verdict).
Where a document gives no criteria for a competency (TP CSCD, Superviseur), the competency itself is
the one item graded, by judgement.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from crm.yaml_text import load_yaml


class StandardNotFound(LookupError):
    """No standard with this id in the standards folder."""


@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion: stable id, official text, how it is decided."""

    id: str
    text: str
    mode: str  # "automatic" or "judgement"
    rules: tuple[str, ...]
    competency_id: str
    competency_title: str
    group_id: str
    #: True when the document gives no criteria for the competency: it is graded as a whole
    #: (id and text are the competency's own).
    whole_competency: bool = False


@dataclass(frozen=True)
class Competency:
    """A competency (or savoir-faire) and its criteria."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Group:
    """A group of competencies (activity, unit, block)."""

    id: str
    title: str
    competencies: tuple[Competency, ...]


@dataclass(frozen=True)
class Standard:
    """A competency standard as published, with its criteria in document order."""

    id: str
    title: str
    short_title: str
    version: str
    groups: tuple[Group, ...] = field(default_factory=tuple)

    @property
    def criteria(self) -> list[Criterion]:
        """Every criterion, in the document's order."""
        return [cr for g in self.groups for c in g.competencies for cr in c.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with this id, or None."""
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def to_dict(self) -> dict:
        """The short JSON shape (id, title, version)."""
        return {
            "id": self.id,
            "title": self.title,
            "short_title": self.short_title,
            "version": self.version,
            "criteria": len(self.criteria),
        }


def standards_dir() -> Path:
    """Where the standards live (config STANDARDS_DIR)."""
    return Path(current_app.config["STANDARDS_DIR"])


def list_standards() -> list[Standard]:
    """Every standard of the folder, sorted by id."""
    return [_load(str(path)) for path in sorted(standards_dir().glob("*.yaml"))]


def get_standard(standard_id: str) -> Standard:
    """The standard with this id; StandardNotFound otherwise."""
    for standard in list_standards():
        if standard.id == standard_id:
            return standard
    raise StandardNotFound(standard_id)


@functools.lru_cache(maxsize=32)
def _load(path: str) -> Standard:
    """Parse one standard file (cached: they are read-only data shipped with the code)."""
    data = load_yaml(Path(path).read_text(encoding="utf-8"))
    groups = []
    for g in data.get("groups", []):
        competencies = []
        for c in g.get("competencies", []):
            criteria = tuple(
                Criterion(
                    id=str(cr["id"]),
                    text=cr["text"],
                    mode=cr["mode"],
                    rules=tuple(cr.get("rules", ())),
                    competency_id=str(c["id"]),
                    competency_title=c["title"],
                    group_id=str(g["id"]),
                )
                for cr in c.get("criteria", [])
            )
            if not criteria:
                criteria = (
                    Criterion(
                        id=str(c["id"]),
                        text=c["title"],
                        mode="judgement",
                        rules=(),
                        competency_id=str(c["id"]),
                        competency_title=c["title"],
                        group_id=str(g["id"]),
                        whole_competency=True,
                    ),
                )
            competencies.append(Competency(str(c["id"]), c["title"], criteria))
        groups.append(Group(str(g["id"]), g["title"], tuple(competencies)))
    return Standard(
        id=data["id"],
        title=data["title"],
        short_title=data.get("short_title", data["title"]),
        version=str(data.get("version", "")),
        groups=tuple(groups),
    )
