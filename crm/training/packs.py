"""Trainers' own packs: add one to the library (whole or not at all), export one, preview one.

A pack is added only once it validates; it is written under a temporary name in the pack folder
and renamed into place in one step, so the library never holds half a file. A pack that a shift
not yet ended uses is never replaced nor removed: resets and new attempts of that shift must get
the world its candidates started with.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath

import sqlalchemy as sa
import yaml
from flask import current_app

from crm.db import db
from crm.errors import Conflict, DomainError, NotFound, ValidationFailed
from crm.i18n import _, ngettext
from crm.training.library import (
    ScenarioInfo,
    ScenarioNotFound,
    load_scenario,
    pack_dir,
    scenario_dir,
    scenario_info,
    scenario_path,
    valid_slug,
)
from crm.training.models import Shift
from crm.training.scenario_schema import ScenarioProblem, load_scenario_file
from crm.training.timeline import parse_offset
from crm.yaml_text import load_yaml

log = logging.getLogger(__name__)

#: Shift statuses during which the shift's pack must stay as it is.
_IN_USE = ("planned", "running", "paused")


class PackRefused(ValidationFailed):
    """The pack did not validate: `problems` holds each one (`file: path: message`)."""

    def __init__(self, problems: list[ScenarioProblem]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            {
                "file": ngettext(
                    "Le pack n'est pas valide : %(num)s problème.",
                    "Le pack n'est pas valide : %(num)s problèmes.",
                    count,
                )
            }
        )
        self.details = {"problems": [str(problem) for problem in problems[:200]]}


@dataclass(frozen=True)
class Installed:
    """A pack just added to the library."""

    info: ScenarioInfo
    sha256: str
    replaced: bool


def install_pack(filename: str, content: bytes, *, replace: bool = False, user=None) -> Installed:
    """Validate `content` (a pack file named `filename` by its sender) and add it to the library.

    Refused with every problem when it does not validate; refused when its slug is a shipped
    pack's, when it exists and `replace` is not set, or when a shift not yet ended uses it.
    """
    name = PurePath(filename or "pack.yaml").name or "pack.yaml"
    limit = current_app.config["PACK_MAX_BYTES"]
    if not content:
        raise ValidationFailed({"file": _("Le fichier est vide.")})
    if len(content) > limit:
        raise ValidationFailed(
            {"file": _("Fichier trop volumineux (%(max)s octets au plus).", max=limit)}
        )
    if PurePath(name).suffix.lower() not in (".yaml", ".yml"):
        raise ValidationFailed({"file": _("Un pack est un fichier YAML (.yaml ou .yml).")})
    slug = _declared_slug(content)
    folder = pack_dir()
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".upload-", dir=folder))
    try:
        # Validated under the name it will have, so that the slug/file-name check applies.
        staged = staging / (f"{slug}.yaml" if slug else "pack.yaml")
        staged.write_bytes(content)
        data, problems = load_scenario_file(staged)
        if problems or data is None:
            raise PackRefused([ScenarioProblem(name, p.path, p.message) for p in problems])
        slug = data["slug"]
        existing = scenario_path(slug)
        if (scenario_dir() / f"{slug}.yaml").is_file():
            raise ValidationFailed(
                {
                    "file": _(
                        "« %(slug)s » est un pack livré avec Plateau : changez son slug.", slug=slug
                    )
                }
            )
        if existing is not None and not replace:
            raise ValidationFailed(
                {
                    "replace": _(
                        "Un pack « %(slug)s » existe déjà : "
                        "cochez « Remplacer » pour le remplacer.",
                        slug=slug,
                    )
                }
            )
        if existing is not None:
            _refuse_if_in_use(slug, _("remplacé"))
        os.replace(staged, folder / f"{slug}.yaml")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    digest = hashlib.sha256(content).hexdigest()
    who = getattr(user, "username", "cli")
    log.info(
        "scenario pack %s %s by %s (sha256 %s)",
        slug,
        "replaced" if existing else "added",
        who,
        digest,
    )
    return Installed(scenario_info(slug), digest, existing is not None)


def remove_pack(slug: str, *, user=None) -> None:
    """Take an uploaded pack out of the library (shipped packs stay)."""
    info = _info(slug)
    if info.source != "uploaded":
        raise DomainError(
            _("Un pack livré avec Plateau ne peut pas être retiré."), code="shipped_pack"
        )
    _refuse_if_in_use(slug, _("retiré"))
    info.path.unlink(missing_ok=True)
    log.info("scenario pack %s removed by %s", slug, getattr(user, "username", "cli"))


def export_pack(slug: str) -> tuple[str, bytes]:
    """The pack's file as it is in the library: (file name, bytes)."""
    info = _info(slug)
    return f"{info.slug}.yaml", info.path.read_bytes()


def _info(slug: str) -> ScenarioInfo:
    try:
        return scenario_info(slug)
    except ScenarioNotFound:
        raise NotFound(_("Pack introuvable."), code="no_pack") from None


def _declared_slug(content: bytes) -> str | None:
    """The slug the document declares, if it can be read; full validation comes after."""
    try:
        data = load_yaml(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return None
    slug = data.get("slug") if isinstance(data, dict) else None
    return slug if valid_slug(slug) else None


def _refuse_if_in_use(slug: str, verb: str) -> None:
    names = db.session.scalars(
        sa.select(Shift.name).where(Shift.scenario == slug, Shift.status.in_(_IN_USE)).limit(3)
    ).all()
    if names:
        raise Conflict(
            _(
                "Ce pack ne peut pas être %(verb)s : la séance « %(shift)s » l'utilise "
                "et n'est pas terminée.",
                verb=verb,
                shift=names[0],
            ),
            code="pack_in_use",
        )


# --- preview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One event of a pack's timeline, as the preview lists it."""

    at: str
    kind: str
    key: str
    who: str
    subject: str


@dataclass(frozen=True)
class Preview:
    """What a trainer reads before choosing a pack: its card, its world in figures, its timeline."""

    info: ScenarioInfo
    #: The pack's card (candidate, brief, length_minutes, exercises), {} when it has none.
    card: dict
    company: dict
    figures: dict[str, int]
    channels: dict[str, int]
    timeline: list[TimelineItem]
    length_minutes: int
    qualification_codes: list[str]


#: Sections counted in the world's figures (top-level lists of the pack).
_COUNTED = (
    "products",
    "clients",
    "knowledge_base",
    "message_templates",
    "documents",
    "campaigns",
    "qualification_codes",
    "sales_reps",
    "promotions",
)


def pack_preview(slug: str) -> Preview:
    """The preview of a valid pack; NotFound when missing, DomainError when it does not validate."""
    info = _info(slug)
    if info.problems:
        raise DomainError(
            _("Ce pack n'est pas valide : corrigez-le avant de le prévisualiser."),
            code="invalid_pack",
            details={"problems": [str(p) for p in info.problems[:200]]},
        )
    data = load_scenario(slug)
    figures = {key: len(data.get(key) or ()) for key in _COUNTED}
    clients = data.get("clients") or ()
    figures["orders"] = sum(len(client.get("orders") or ()) for client in clients)
    figures["invoices"] = sum(len(client.get("invoices") or ()) for client in clients)
    items = [_timeline_item(item) for item in data.get("timeline") or ()]
    # A valid pack's offsets all parse (the validator checks them).
    items.sort(key=lambda item: parse_offset(item.at) or 0)
    last = max((parse_offset(item.at) or 0 for item in items), default=0)
    return Preview(
        info=info,
        card=data.get("card") or {},
        company=data.get("company") or {},
        figures=figures,
        channels=dict(Counter(item.kind for item in items)),
        timeline=items,
        length_minutes=-(-last // 60),
        qualification_codes=[
            str(code.get("code", code)) if isinstance(code, dict) else str(code)
            for code in data.get("qualification_codes") or ()
        ],
    )


def _timeline_item(item: dict) -> TimelineItem:
    persona = item.get("persona") or {}
    return TimelineItem(
        at=str(item.get("at", "")),
        kind=str(item.get("kind", "")),
        key=str(item.get("key", "")),
        who=str(persona.get("name") or item.get("from") or item.get("to") or ""),
        subject=str(item.get("subject") or ""),
    )
