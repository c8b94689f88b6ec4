"""Shifts and attempts: open a shift, move it through its states, create and reset attempts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.auth.models import Role, User
from crm.db import db, utcnow
from crm.errors import Conflict, InvalidTransition, next_status
from crm.signals import shift_status_changed
from crm.training.library import load_scenario
from crm.training.loader import attempt_settings, seed_world
from crm.training.models import DEFAULT_STANDARD, Attempt, Shift
from crm.training.states import SHIFT_TRANSITIONS

PARIS = ZoneInfo("Europe/Paris")


def world_today() -> datetime:
    """Today in Paris: the day relative scenario dates are resolved against."""
    return datetime.now(PARIS).date()


def create_shift(
    scenario: str,
    candidates: list[User],
    *,
    created_by: User | None = None,
    name: str = "",
    mode: str = "scripted",
    exam_mode: bool = False,
    standard: str | None = None,
) -> Shift:
    """Open a shift on a scenario with one fresh attempt per candidate, assessed against
    `standard` (DEFAULT_STANDARD unless given)."""
    data = load_scenario(scenario)
    if mode not in ("scripted", "live"):
        raise ValueError("mode must be scripted or live")
    if any(c.role != Role.CANDIDATE for c in candidates):
        raise ValueError("only candidates can have attempts")
    shift = Shift(
        name=name or data["title"],
        scenario=scenario,
        mode=mode,
        exam_mode=exam_mode,
        standard=standard or DEFAULT_STANDARD,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(shift)
    db.session.flush()
    for candidate in candidates:
        _new_attempt(shift, candidate, 1, data, created_by)
    return shift


def _new_attempt(
    shift: Shift, candidate: User, number: int, data: dict, actor: User | None
) -> Attempt:
    attempt = Attempt(
        shift_id=shift.id,
        candidate_id=candidate.id,
        number=number,
        world_date=world_today(),
        settings=attempt_settings(data),
    )
    db.session.add(attempt)
    db.session.flush()
    seed_world(attempt, data)
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.started", attempt, {"scenario": shift.scenario, "number": number})
    return attempt


def change_shift_status(shift: Shift, event: str, *, now: datetime | None = None) -> Shift:
    """Apply start / pause / resume / end to a shift (InvalidTransition if not allowed)."""
    shift.status = next_status(SHIFT_TRANSITIONS, "shift", shift.status, event)
    now = now or utcnow()
    if event == "start":
        shift.started_at = now
    elif event == "end":
        shift.ended_at = now
    # The scenario clock stops while paused (crm.training.timeline.shift_elapsed).
    if event in ("resume", "end") and shift.paused_at is not None:
        shift.paused_seconds = (shift.paused_seconds or 0) + int(
            (now - shift.paused_at).total_seconds()
        )
        shift.paused_at = None
    elif event == "pause":
        shift.paused_at = now
    db.session.flush()
    shift_status_changed.send(shift, event=event)
    return shift


def reset_attempt(attempt: Attempt, actor: User | None) -> Attempt:
    """Start a new attempt from the seed; the old one is superseded but stays readable.

    Everything happens in the caller's transaction: either both the new world and the
    supersession land, or neither does.
    """
    if attempt.status != "active":
        raise InvalidTransition("attempt", attempt.status, "reset")
    data = load_scenario(attempt.shift.scenario)
    last = db.session.scalar(
        sa.select(sa.func.max(Attempt.number)).where(
            Attempt.shift_id == attempt.shift_id, Attempt.candidate_id == attempt.candidate_id
        )
    )
    new = _new_attempt(attempt.shift, attempt.candidate, last + 1, data, actor)
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.reset", attempt, {"replaced_by": new.id})
    attempt.status = "superseded"
    attempt.superseded_at = utcnow()
    attempt.replaced_by_id = new.id
    db.session.flush()
    return new


def current_attempt(user: User) -> Attempt | None:
    """A candidate's attempt in their running (or paused) shift, the newest if several."""
    if user.role != Role.CANDIDATE:
        return None
    return db.session.scalar(
        sa.select(Attempt)
        .join(Shift, Attempt.shift_id == Shift.id)
        .where(
            Attempt.candidate_id == user.id,
            Attempt.status == "active",
            Shift.status.in_(("running", "paused")),
        )
        .order_by(Attempt.id.desc())
        .limit(1)
    )


def add_candidate(shift: Shift, candidate: User, actor: User | None = None) -> Attempt:
    """Give a late-arriving candidate their own attempt in an existing shift."""
    if candidate.role != Role.CANDIDATE:
        raise ValueError("only candidates can have attempts")
    if shift.status == "ended":
        raise InvalidTransition("shift", shift.status, "add_candidate")
    existing = db.session.scalar(
        sa.select(Attempt.id).where(
            Attempt.shift_id == shift.id,
            Attempt.candidate_id == candidate.id,
            Attempt.status == "active",
        )
    )
    if existing:
        raise Conflict(
            "Ce candidat a déjà une tentative en cours dans cette séance.",
            code="already_in_shift",
            details={"attempt_id": existing},
        )
    return _new_attempt(shift, candidate, 1, load_scenario(shift.scenario), actor)
