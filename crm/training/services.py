"""Shifts and attempts: open a shift, move it through its states, create and reset attempts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import Role, User
from crm.db import db
from crm.errors import Conflict, InvalidTransition, next_status
from crm.i18n import _
from crm.signals import shift_status_changed
from crm.training.library import load_scenario
from crm.training.loader import attempt_settings, seed_world
from crm.training.locking import for_update, locked_by
from crm.training.models import Attempt, Shift
from crm.training.planning import check_standard
from crm.training.states import ATTEMPT_TRANSITIONS, SHIFT_TRANSITIONS

PARIS = ZoneInfo("Europe/Paris")


class CandidateBusy(Conflict):
    """Candidates who already have an active attempt get no other one (409, naming the field).

    `field` is the input that named the candidates (`candidate_ids`, `candidate_id`), so that
    the API's answer points at it and a page can show the message beside its form.
    """

    code = "candidate_busy"

    def __init__(self, busy: list[Attempt], field: str):
        message = " ".join(
            _(
                "%(name)s (%(username)s) a déjà une tentative en cours (n° %(attempt)s, "
                "séance « %(shift)s ») : terminez d'abord cette séance.",
                name=attempt.candidate.display_name,
                username=attempt.candidate.username,
                attempt=attempt.id,
                shift=attempt.shift.name,
            )
            for attempt in busy
        )
        super().__init__(
            message,
            details={
                "candidates": [
                    {
                        "id": attempt.candidate_id,
                        "username": attempt.candidate.username,
                        "attempt_id": attempt.id,
                        "shift_id": attempt.shift_id,
                    }
                    for attempt in busy
                ]
            },
        )
        self.fields = {field: message}


def active_attempts(candidates: list[User]) -> list[Attempt]:
    """The active attempts of these candidates (at most one each), by candidate id."""
    ids = [c.id for c in candidates]
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.candidate_id.in_(ids), Attempt.status == "active")
            .order_by(Attempt.candidate_id)
        )
    )


def _refuse_busy(candidates: list[User], field: str) -> None:
    """Refuse before anything is created when a candidate is already working elsewhere."""
    busy = active_attempts(candidates)
    if busy:
        raise CandidateBusy(busy, field)


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
    """Open a shift on a scenario with one fresh attempt per candidate.

    `standard` is the id of the standard it is assessed against (ValidationFailed if unknown;
    DEFAULT_STANDARD unless given: see `check_standard`).
    """
    data = load_scenario(scenario)
    standard = check_standard(standard)
    if mode not in ("scripted", "live"):
        raise ValueError("mode must be scripted or live")
    if any(c.role != Role.CANDIDATE for c in candidates):
        raise ValueError("only candidates can have attempts")
    _refuse_busy(candidates, "candidate_ids")
    shift = Shift(
        name=name or data["title"],
        scenario=scenario,
        mode=mode,
        exam_mode=exam_mode,
        standard=standard,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(shift)
    db.session.flush()
    for candidate in candidates:
        _new_attempt(shift, candidate, 1, data, created_by)
    return shift


def _new_attempt(
    shift: Shift,
    candidate: User,
    number: int,
    data: dict,
    actor: User | None,
    field: str = "candidate_ids",
) -> Attempt:
    attempt = Attempt(
        shift_id=shift.id,
        candidate_id=candidate.id,
        number=number,
        world_date=clock.today(),
        settings=attempt_settings(data),
    )
    try:
        # A savepoint: if the database refuses the row, the session stays usable to say why.
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError as error:
        # A concurrent request gave this candidate an active attempt after our check: the
        # database's one-active-attempt index refused this one.
        raise CandidateBusy(active_attempts([candidate]), field) from error
    seed_world(attempt, data)
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.started", attempt, {"scenario": shift.scenario, "number": number})
    if shift.status != "planned":
        # A late candidate or a reset works in the shift's campaign at once (the others got it
        # when the shift started).
        _assign_campaign(shift, [attempt], actor)
    return attempt


def _assign_campaign(shift: Shift, attempts: list[Attempt], actor: User | None) -> None:
    """Copy the shift's campaign (if one was set up) into these attempts' worlds."""
    from crm.campaigns.world import assign_shift_campaign

    assign_shift_campaign(shift, attempts, actor)


def change_shift_status(
    shift: Shift, event: str, *, now: datetime | None = None, actor: User | None = None
) -> Shift:
    """Apply start / pause / resume / end to a shift (InvalidTransition if not allowed).

    Ending a shift closes its active attempts, each with an `attempt.closed` action.
    """
    shift.status = next_status(SHIFT_TRANSITIONS, "shift", shift.status, event)
    now = now or clock.now()
    if event == "start":
        shift.started_at = now
        active = db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.shift_id == shift.id, Attempt.status == "active")
            .order_by(Attempt.id)
        )
        _assign_campaign(shift, active.all(), actor)
    elif event == "end":
        shift.ended_at = now
        # Queried, not read from `shift.attempts`: a collection loaded earlier in the
        # transaction would miss an attempt added since.
        active = db.session.scalars(
            sa.select(Attempt)
            .where(Attempt.shift_id == shift.id, Attempt.status == "active")
            .order_by(Attempt.id)
        )
        for attempt in active.all():
            _close_attempt(attempt, actor)
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


def _close_attempt(attempt: Attempt, actor: User | None) -> None:
    """Close an attempt whose shift ended: it stays readable, and frees its candidate."""
    attempt.status = next_status(ATTEMPT_TRANSITIONS, "attempt", attempt.status, "close")
    db.session.flush()
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.closed", attempt, {"shift_id": attempt.shift_id, "reason": "shift_ended"})


def reset_attempt(attempt: Attempt, actor: User | None) -> Attempt:
    """Start a new attempt from the seed; the old one is superseded but stays readable.

    Everything happens in the caller's transaction: either both the new world and the
    supersession land, or neither does.
    """
    status = next_status(ATTEMPT_TRANSITIONS, "attempt", attempt.status, "reset")
    data = load_scenario(attempt.shift.scenario)
    last = db.session.scalar(
        sa.select(sa.func.max(Attempt.number)).where(
            Attempt.shift_id == attempt.shift_id, Attempt.candidate_id == attempt.candidate_id
        )
    )
    # The old attempt stops being active before the new one exists: one active attempt per
    # candidate at every flush (the database's index checks each row as it is written).
    attempt.status = status
    attempt.superseded_at = clock.now()
    db.session.flush()
    new = _new_attempt(attempt.shift, attempt.candidate, last + 1, data, actor)
    attempt.replaced_by_id = new.id
    db.session.flush()
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(ctx, "attempt.reset", attempt, {"replaced_by": new.id})
    return new


#: Every candidate request looks for it: built once (crm/db.py: hot statements).
_CURRENT = (
    sa.select(Attempt)
    .join(Shift, Attempt.shift_id == Shift.id)
    .where(
        Attempt.candidate_id == sa.bindparam("candidate_id"),
        Attempt.status == "active",
        Shift.status.in_(("running", "paused")),
    )
    .order_by(Attempt.id.desc())
    .limit(1)
)
_CURRENT_LOCKED = for_update(_CURRENT)


def current_attempt(user: User, *, lock: bool = False) -> Attempt | None:
    """A candidate's attempt in their running (or paused) shift, the newest if several; with
    `lock`, locked and read under the lock in the same statement (`locking.locked_by`)."""
    if user.role != Role.CANDIDATE:
        return None
    params = {"candidate_id": user.id}
    if lock:
        return locked_by(_CURRENT_LOCKED, params)
    return db.session.scalar(_CURRENT, params)


def add_candidate(shift: Shift, candidate: User, actor: User | None = None) -> Attempt:
    """Give a late-arriving candidate their own attempt in an existing shift."""
    if candidate.role != Role.CANDIDATE:
        raise ValueError("only candidates can have attempts")
    if shift.status == "ended":
        raise InvalidTransition("shift", shift.status, "add_candidate")
    for existing in active_attempts([candidate]):
        if existing.shift_id == shift.id:
            raise Conflict(
                _("Ce candidat a déjà une tentative en cours dans cette séance."),
                code="already_in_shift",
                details={"attempt_id": existing.id},
            )
    _refuse_busy([candidate], "candidate_id")
    return _new_attempt(shift, candidate, 1, load_scenario(shift.scenario), actor, "candidate_id")
