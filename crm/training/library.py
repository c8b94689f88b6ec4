"""The scenario library: the validated packs in SCENARIO_DIR."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from crm.training.scenario_schema import ScenarioProblem, load_scenario_file


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario of the library, as listed to trainers."""

    slug: str
    title: str
    description: str
    path: Path
    problems: tuple[ScenarioProblem, ...]


class ScenarioNotFound(LookupError):
    """No valid scenario with this slug in the library."""


def scenario_dir() -> Path:
    """Where scenario packs live."""
    return Path(current_app.config["SCENARIO_DIR"])


def list_scenarios() -> list[ScenarioInfo]:
    """Every pack in the library, valid or not (problems say why not)."""
    infos = []
    for path in sorted(scenario_dir().glob("*.yaml")):
        data, problems = load_scenario_file(path)
        data = data if isinstance(data, dict) else {}
        infos.append(
            ScenarioInfo(
                slug=path.stem,
                title=str(data.get("title", path.stem)),
                description=str(data.get("description", "")),
                path=path,
                problems=tuple(problems),
            )
        )
    return infos


def load_scenario(slug: str) -> dict:
    """The validated document of a scenario; ScenarioNotFound when missing or invalid."""
    path = scenario_dir() / f"{slug}.yaml"
    if not slug.replace("-", "").isalnum() or not path.is_file():
        raise ScenarioNotFound(slug)
    stat = path.stat()
    data, problems = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    if problems:
        raise ScenarioNotFound(f"{slug}: " + "; ".join(str(p) for p in problems[:5]))
    return copy.deepcopy(data)


def scenario_title(slug: str) -> str:
    """The scenario's title as people read it (« Bureau Direct — fournitures de bureau »), its
    slug when the pack is missing or invalid; read from the cache, not copied."""
    path = scenario_dir() / f"{slug}.yaml"
    if not slug or not slug.replace("-", "").isalnum() or not path.is_file():
        return slug or ""
    stat = path.stat()
    data, problems = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    return slug if problems else str(data.get("title", slug))


@functools.lru_cache(maxsize=16)
def _load_cached(path: str, _mtime_ns: int, _size: int):
    # Parsing and validating a pack takes a noticeable time; a reset or a new shift should not
    # pay it again while the file is unchanged (mtime and size are part of the key).
    return load_scenario_file(path)
