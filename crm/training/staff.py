"""Who runs a shift: the trainer who opened it, and the trainers and evaluators added to it.

The room, the role-play console and their API and sockets show a shift only to the people
who run it (`runs_shift`). Adding or removing someone is recorded in the log of every active
attempt of the shift (`shift.staff_added`, `shift.staff_removed`): the evaluator reading a
candidate's timeline sees who could play customers and inject events in it.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.auth.models import Role, User
from crm.db import db
from crm.errors import Conflict, DomainError, InvalidTransition, ValidationFailed
from crm.i18n import _
from crm.training.models import Attempt, Shift, ShiftStaff

#: Roles that may run a shift.
STAFF_ROLES = (Role.TRAINER, Role.EVALUATOR)


def runs_shift(user: User | None, shift: Shift | int | None) -> bool:
    """The user is a trainer or evaluator who runs this shift (its creator, or added to it)."""
    if user is None or not getattr(user, "is_authenticated", False) or shift is None:
        return False
    if user.role not in STAFF_ROLES:
        return False
    if isinstance(shift, int):
        shift = db.session.get(Shift, shift)
        if shift is None:
            return False
    if shift.created_by_id == user.id:
        return True
    return (
        db.session.scalar(
            sa.select(ShiftStaff.id).where(
                ShiftStaff.shift_id == shift.id, ShiftStaff.user_id == user.id
            )
        )
        is not None
    )


def shift_staff(shift: Shift) -> list[User]:
    """The people who run a shift: its creator first, then the others by name."""
    added = list(
        db.session.scalars(
            sa.select(User)
            .join(ShiftStaff, ShiftStaff.user_id == User.id)
            .where(ShiftStaff.shift_id == shift.id)
            .order_by(User.display_name, User.id)
        )
    )
    creator = db.session.get(User, shift.created_by_id) if shift.created_by_id else None
    others = [u for u in added if creator is None or u.id != creator.id]
    return ([creator] if creator else []) + others


def shift_ids_run_by(user: User) -> sa.Select:
    """A select of the ids of the shifts this user runs (for listings)."""
    added = sa.select(ShiftStaff.shift_id).where(ShiftStaff.user_id == user.id)
    return sa.select(Shift.id).where(sa.or_(Shift.created_by_id == user.id, Shift.id.in_(added)))


def _record_all(shift: Shift, actor: User, verb: str, member: User) -> None:
    """Record the change in the log of every active attempt of the shift."""
    attempts = db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.shift_id == shift.id, Attempt.status == "active")
        .order_by(Attempt.id)
    )
    payload = {"user_id": member.id, "username": member.username, "role": member.role}
    for attempt in attempts.all():
        record(Ctx(attempt, actor.id, actor.role), verb, shift, payload)


def add_staff(shift: Shift, member: User, actor: User) -> ShiftStaff:
    """Add a trainer or an evaluator to the people who run a shift (not once it ended)."""
    if shift.status == "ended":
        raise InvalidTransition("shift", shift.status, "add_staff")
    if member.role not in STAFF_ROLES:
        raise ValidationFailed(
            {"user_id": _("Seuls les formateurs et les évaluateurs animent une séance.")}
        )
    if runs_shift(member, shift):
        raise Conflict(
            _("%(name)s anime déjà cette séance.", name=member.display_name),
            code="already_staff",
            details={"user_id": member.id},
        )
    row = ShiftStaff(shift_id=shift.id, user_id=member.id, added_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    _record_all(shift, actor, "shift.staff_added", member)
    return row


def remove_staff(shift: Shift, member: User, actor: User) -> None:
    """Take someone added to a shift off it (the trainer who opened it always runs it)."""
    if shift.created_by_id == member.id:
        raise Conflict(
            _("Le formateur qui a ouvert la séance l'anime toujours."),
            code="shift_creator",
            details={"user_id": member.id},
        )
    row = db.session.scalar(
        sa.select(ShiftStaff).where(
            ShiftStaff.shift_id == shift.id, ShiftStaff.user_id == member.id
        )
    )
    if row is None:
        raise Conflict(
            _("%(name)s n'anime pas cette séance.", name=member.display_name),
            code="not_staff_member",
            details={"user_id": member.id},
        )
    db.session.delete(row)
    db.session.flush()
    _record_all(shift, actor, "shift.staff_removed", member)


class NotStaff(DomainError):
    """A trainer or an evaluator reaching a shift they do not run (403)."""

    status = 403
    code = "not_staff"


def require_runs(user: User, shift: Shift) -> Shift:
    """The shift, if this user runs it; NotStaff (403) otherwise."""
    if not runs_shift(user, shift):
        raise NotStaff(
            _(
                "Vous n'animez pas la séance « %(name)s » : demandez à son formateur de vous "
                "ajouter à son équipe.",
                name=shift.name,
            ),
            details={"shift_id": shift.id},
        )
    return shift


def require_runs_attempt(user: User, attempt_id: int) -> Attempt:
    """The attempt of a world row (call, conversation…), if this user runs its shift (403)."""
    attempt = db.session.get(Attempt, attempt_id)
    require_runs(user, attempt.shift)
    return attempt
