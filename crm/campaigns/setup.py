"""Setting up a shift's outbound campaign: reading and checking what the trainer chose, storing it.

A trainer (the supervisor's trade) builds the campaign before the shift starts and may adjust it
while the shift is planned: its target list (filters over the scenario's files), the codes that
apply (among the scenario's), the call guide, the calling rules (windows, attempts per number,
spacing, after-call work maximum) and a goal. Every change is recorded in the log of each active
attempt of the shift (`campaign.set_up`); the worlds get it when the shift starts
(crm.campaigns.world).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.campaigns.models import ShiftCampaign
from crm.campaigns.targeting import (
    MAX_TARGETS,
    Target,
    TargetFilters,
    read_filters,
    select_targets,
)
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.training.library import load_scenario
from crm.training.models import Attempt, Shift
from crm.validation import Fields

#: Filter fields of the set-up (flat in the API body and the form).
FILTER_FIELDS = (
    "kind",
    "segment",
    "departments",
    "city",
    "no_order_days",
    "ordered_within_days",
    "not_contacted_days",
    "exclude_opposed",
)
GUIDE_STEPS = 15
GUIDE_STEP_LENGTH = 200
MAX_WINDOWS = 4
WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]|24):([0-5]\d)$")
#: The legal calling windows for consumers (crm.contacts.agenda), the default of a new set-up.
DEFAULT_WINDOWS = ["10:00-13:00", "14:00-20:00"]
LIMITS = {
    "max_attempts": (1, 20),
    "min_spacing_minutes": (0, 10080),
    "after_call_work_seconds": (1, 3600),
    "goal_count": (1, 10000),
    "goal_rate": (1, 100),
}


@dataclass(frozen=True)
class SetupValues:
    """A checked set-up, ready to store."""

    base_key: str
    name: str
    filters: TargetFilters
    targets: list[Target]
    qualification_codes: list[str]
    call_guide: list[str]
    windows: list[str]
    max_attempts: int
    min_spacing_minutes: int
    after_call_work_seconds: int
    goal_codes: list[str]
    goal_count: int | None
    goal_rate: int | None


def outbound_campaigns(data: dict) -> list[dict]:
    """The scenario's outbound campaigns, in its order."""
    return [c for c in data.get("campaigns") or [] if c.get("kind") == "outbound"]


def scenario_codes(data: dict) -> list[str]:
    """Every qualification code of the scenario, in its order."""
    return [c["code"] for c in data.get("qualification_codes") or []]


def _text_list(value, name: str, errors: dict, *, limit: int, length: int) -> list[str]:
    """A list of non-blank strings (trimmed), at most `limit` of `length` characters each."""
    if value is None:
        errors[name] = _("Champ obligatoire.")
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[name] = _("Liste de textes attendue.")
        return []
    items = [v.strip() for v in value if v.strip()]
    if not items:
        errors[name] = _("Champ obligatoire.")
    elif len(items) > limit:
        errors[name] = _("%(n)s éléments au plus.", n=limit)
    elif any(len(v) > length for v in items):
        errors[name] = _("%(n)s caractères au plus par élément.", n=length)
    else:
        return items
    return []


def _codes(value, name: str, known: list[str], errors: dict) -> list[str]:
    codes = _text_list(value, name, errors, limit=len(known) or 1, length=40)
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors[name] = _("Code inconnu du scénario : %(codes)s.", codes=", ".join(unknown))
        return []
    return list(dict.fromkeys(codes))


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _windows(value, errors: dict) -> list[str]:
    """Calling windows "HH:MM-HH:MM" (Paris time), each ending after it starts, not overlapping."""
    items = _text_list(value, "windows", errors, limit=MAX_WINDOWS, length=11)
    spans = []
    for item in items:
        match = WINDOW.match(item.replace(" ", ""))
        if not match:
            errors["windows"] = _("Plage « %(value)s » : écrivez-la HH:MM-HH:MM.", value=item)
            return []
        start, end = item.replace(" ", "").split("-")
        if _minutes(end) <= _minutes(start) or _minutes(end) > 24 * 60:
            errors["windows"] = _("Plage « %(value)s » : la fin doit suivre le début.", value=item)
            return []
        spans.append((_minutes(start), _minutes(end), f"{start}-{end}"))
    spans.sort()
    for (_s1, end1, text1), (start2, _e2, text2) in zip(spans, spans[1:], strict=False):
        if start2 < end1:
            errors["windows"] = _(
                "Les plages %(first)s et %(second)s se chevauchent.", first=text1, second=text2
            )
            return []
    return [text for _s, _e, text in spans]


def read_setup(raw, data: dict, today: date) -> SetupValues:
    """Check a set-up against the scenario; ValidationFailed names each bad field in French."""
    raw = raw if isinstance(raw, dict) else {}
    fields = Fields(raw)
    name = fields.text("name", max_length=160)
    outbound = [c["key"] for c in outbound_campaigns(data)]
    base = fields.text("base", required=False, max_length=60, default=None)
    if base is not None and base not in outbound:
        fields.errors["base"] = _("Campagne sortante inconnue du scénario.")
    numbers = {
        key: fields.integer(
            key, required=key not in ("goal_count", "goal_rate"), minimum=lo, maximum=hi
        )
        for key, (lo, hi) in LIMITS.items()
    }
    errors = fields.errors
    # The whole mapping: it tells read_filters whether a blank value is a form's (not given).
    reading = read_filters(raw)
    errors.update(reading.errors)
    known = scenario_codes(data)
    codes = _codes(raw.get("qualification_codes"), "qualification_codes", known, errors)
    guide = _text_list(
        raw.get("call_guide"), "call_guide", errors, limit=GUIDE_STEPS, length=GUIDE_STEP_LENGTH
    )
    windows = _windows(raw.get("windows"), errors)
    goal_codes = _codes(raw.get("goal_codes"), "goal_codes", known, errors)
    if codes and goal_codes and not set(goal_codes) <= set(codes):
        errors["goal_codes"] = _("Choisissez l'objectif parmi les codes retenus pour la campagne.")
    if (
        "goal_count" not in errors
        and "goal_rate" not in errors
        and numbers["goal_count"] is None
        and numbers["goal_rate"] is None
    ):
        errors["goal_count"] = _(
            "Fixez un objectif : un nombre de succès par candidat, un taux de conversion, "
            "ou les deux."
        )
    targets = select_targets(data, reading.filters, today) if reading.filters else []
    if reading.filters and not targets:
        errors["filters"] = _("Aucune fiche ne correspond à ces filtres : élargissez la cible.")
    elif len(targets) > MAX_TARGETS:
        errors["filters"] = _(
            "%(n)s fiches : %(max)s au plus par campagne, resserrez la cible.",
            n=len(targets),
            max=MAX_TARGETS,
        )
    if not outbound and base is None:
        base = "campagne-seance"
    fields.done()
    return SetupValues(
        base_key=base or outbound[0],
        name=name,
        filters=reading.filters,
        targets=targets,
        qualification_codes=codes,
        call_guide=guide,
        windows=windows,
        goal_codes=goal_codes,
        **numbers,
    )


def shift_campaign(shift: Shift) -> ShiftCampaign | None:
    """The campaign set up for a shift, if any."""
    return db.session.scalar(sa.select(ShiftCampaign).where(ShiftCampaign.shift_id == shift.id))


_STORED = (
    "base_key",
    "name",
    "qualification_codes",
    "call_guide",
    "windows",
    "max_attempts",
    "min_spacing_minutes",
    "after_call_work_seconds",
    "goal_codes",
    "goal_count",
    "goal_rate",
)


def set_up_campaign(shift: Shift, raw, actor: User, *, today: date | None = None) -> ShiftCampaign:
    """Create or change a planned shift's campaign; 409 once the shift has started."""
    if shift.status != "planned":
        raise Conflict(
            _("La séance a démarré : sa campagne ne change plus."),
            code="invalid_transition",
            details={"machine": "shift", "status": shift.status, "event": "set_up_campaign"},
        )
    data = load_scenario(shift.scenario)
    values = read_setup(raw, data, today or clock.today())
    row = shift_campaign(shift)
    before = setup_dict(row) if row else None
    if row is None:
        row = ShiftCampaign(shift_id=shift.id)
        db.session.add(row)
    for key in _STORED:
        setattr(row, key, getattr(values, key))
    row.filters = values.filters.to_dict()
    row.updated_by_id = actor.id
    row.updated_at = clock.now()
    db.session.flush()
    after = setup_dict(row)
    changed = [k for k in after if before is None or before.get(k) != after.get(k)]
    payload = {
        "campaign": values.base_key,
        "changed": [k for k in changed if k not in ("updated_at", "updated_by_id")],
        "targets": [t.client for t in values.targets],
        **{k: after[k] for k in after if k not in ("updated_at", "updated_by_id", "shift_id")},
    }
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.shift_id == shift.id, Attempt.status == "active")
        .order_by(Attempt.id)
    )
    for attempt in attempts.all():
        record(Ctx(attempt, actor.id, actor.role), "campaign.set_up", row, payload)
    return row


def setup_dict(row: ShiftCampaign) -> dict:
    """A stored set-up as the API answers it (the flat fields a PUT takes, and who/when)."""
    filters = row.filters or {}
    return {
        "shift_id": row.shift_id,
        "base": row.base_key,
        "name": row.name,
        **{key: filters.get(key) for key in FILTER_FIELDS},
        "qualification_codes": list(row.qualification_codes or []),
        "call_guide": list(row.call_guide or []),
        "windows": list(row.windows or []),
        "max_attempts": row.max_attempts,
        "min_spacing_minutes": row.min_spacing_minutes,
        "after_call_work_seconds": row.after_call_work_seconds,
        "goal_codes": list(row.goal_codes or []),
        "goal_count": row.goal_count,
        "goal_rate": row.goal_rate,
        "updated_by_id": row.updated_by_id,
        "updated_at": row.updated_at.isoformat(timespec="milliseconds") if row.updated_at else None,
    }


def default_setup(data: dict) -> dict:
    """What a new set-up starts from: the scenario's first outbound campaign and its rules."""
    base = next(iter(outbound_campaigns(data)), {})
    codes = list(base.get("qualification_codes") or scenario_codes(data))
    rules = data.get("calling_rules") or {}
    goal = [c for c in ("RDV", "VENTE") if c in codes] or codes[:1]
    return {
        "base": base.get("key"),
        "name": base.get("name") or "",
        **TargetFilters().to_dict(),
        "qualification_codes": codes,
        "call_guide": list(base.get("call_guide") or []),
        "windows": list(DEFAULT_WINDOWS),
        "max_attempts": rules.get("max_attempts", 4),
        "min_spacing_minutes": 60,
        "after_call_work_seconds": base.get("after_call_work_seconds", 60),
        "goal_codes": goal,
        "goal_count": 1,
        "goal_rate": None,
    }


def preview_targets(shift: Shift, raw, *, today: date | None = None) -> list[Target]:
    """The target list some filters would give (nothing stored); ValidationFailed if bad."""
    reading = read_filters(raw)
    if reading.errors:
        raise ValidationFailed(reading.errors)
    return select_targets(load_scenario(shift.scenario), reading.filters, today or clock.today())
