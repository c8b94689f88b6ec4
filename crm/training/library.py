"""The scenario library: the packs shipped in SCENARIO_DIR and those trainers added in PACK_DIR.

A slug names one pack across both folders: a shipped pack cannot be shadowed by an upload.
"""

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
    #: "shipped" (seed_data, read-only) or "uploaded" (added by a trainer).
    source: str = "shipped"


class ScenarioNotFound(LookupError):
    """No valid scenario with this slug in the library."""


def scenario_dir() -> Path:
    """Where the shipped scenario packs live."""
    return Path(current_app.config["SCENARIO_DIR"])


def pack_dir() -> Path:
    """Where packs added by trainers live (created when first needed)."""
    configured = current_app.config.get("PACK_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "scenarios"


def _folders() -> tuple[tuple[str, Path], ...]:
    return (("shipped", scenario_dir()), ("uploaded", pack_dir()))


def list_scenarios() -> list[ScenarioInfo]:
    """Every pack in the library, valid or not (problems say why not); shipped ones first."""
    infos, seen = [], set()
    for source, folder in _folders():
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
            if path.stem in seen:
                continue  # an upload never shadows a shipped pack (see packs.install_pack)
            seen.add(path.stem)
            data, problems = _load_cached(str(path), *_stamp(path))
            data = data if isinstance(data, dict) else {}
            infos.append(
                ScenarioInfo(
                    slug=path.stem,
                    title=str(data.get("title", path.stem)),
                    description=str(data.get("description", "")),
                    path=path,
                    problems=tuple(problems),
                    source=source,
                )
            )
    return infos


def valid_slug(slug: object) -> bool:
    """A pack's slug: lowercase letters, digits and inner hyphens (also its file's stem)."""
    return isinstance(slug, str) and 0 < len(slug) <= 64 and slug.replace("-", "").isalnum()


def scenario_path(slug: str) -> Path | None:
    """The file of the pack named `slug` (shipped first), or None."""
    if not valid_slug(slug):
        return None
    for _source, folder in _folders():
        path = folder / f"{slug}.yaml"
        if path.is_file():
            return path
    return None


def scenario_info(slug: str) -> ScenarioInfo:
    """The library entry of one pack, valid or not; ScenarioNotFound when there is none."""
    for info in list_scenarios():
        if info.slug == slug:
            return info
    raise ScenarioNotFound(slug)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def load_scenario(slug: str) -> dict:
    """The validated document of a scenario; ScenarioNotFound when missing or invalid."""
    path = scenario_path(slug)
    if path is None:
        raise ScenarioNotFound(slug)
    stat = path.stat()
    data, problems = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    if problems:
        raise ScenarioNotFound(f"{slug}: " + "; ".join(str(p) for p in problems[:5]))
    return copy.deepcopy(data)


@functools.lru_cache(maxsize=16)
def _load_cached(path: str, _mtime_ns: int, _size: int):
    # Parsing and validating a pack takes a noticeable time; a reset or a new shift should not
    # pay it again while the file is unchanged (mtime and size are part of the key).
    return load_scenario_file(path)
