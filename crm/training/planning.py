"""Preparing a shift before it starts: its name, its standard, its candidates, or dropping it.

Once a shift has started its attempts are evidence: candidates are no longer removed and the
shift is no longer deleted (a reset, or `plateau retention`, is the way then). Before the start
an attempt holds nothing but its seeded world and its `attempt.started` action, so removing it
(or the whole shift) deletes them with the mechanism retention uses.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, InvalidTransition, ValidationFailed
from crm.evaluation.standards import list_standards
from crm.i18n import N_, _
from crm.retention import delete_attempts
from crm.training.models import DEFAULT_STANDARD, Attempt, Shift

NAME_MAX = 120


def check_standard(standard: str | None) -> str:
    """The id of a known standard (DEFAULT_STANDARD when none is given); ValidationFailed
    otherwise. Every shift is assessed against one: the bench and the self-assessment open on it."""
    if standard in (None, ""):
        return DEFAULT_STANDARD
    if standard not in {s.id for s in list_standards()}:
        raise ValidationFailed({"standard": _("Référentiel inconnu.")})
    return standard


#: What each change reserved to a planned shift says when the shift has started.
_STARTED = {
    "remove_candidate": N_(
        "La séance a démarré : on ne retire plus de candidat (réinitialisez plutôt sa tentative)."
    ),
    "delete": N_("La séance a démarré : elle ne peut plus être supprimée."),
}


def _planned(shift: Shift, event: str) -> None:
    """Refuse changes reserved to a shift that has not started yet (409 invalid_transition)."""
    if shift.status != "planned":
        raise Conflict(
            _(_STARTED[event]),
            code="invalid_transition",
            details={"machine": "shift", "status": shift.status, "event": event},
        )


def rename_shift(shift: Shift, name: str) -> Shift:
    """Give a shift a new name (any status: a name is not evidence)."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": _("Champ obligatoire.")})
    if len(name) > NAME_MAX:
        raise ValidationFailed({"name": _("%(n)s caractères au plus.", n=NAME_MAX)})
    shift.name = name
    db.session.flush()
    return shift


def set_shift_standard(shift: Shift, standard: str | None) -> Shift:
    """Choose the standard the shift is assessed against (until it ends)."""
    if shift.status == "ended":
        raise InvalidTransition("shift", shift.status, "set_standard")
    shift.standard = check_standard(standard)
    db.session.flush()
    return shift


def remove_candidate(shift: Shift, candidate: User) -> int:
    """Take a candidate out of a shift that has not started; their attempts are deleted.

    Returns how many attempts went (one, unless they were reset before the start).
    """
    _planned(shift, "remove_candidate")
    ids = list(
        db.session.scalars(
            sa.select(Attempt.id).where(
                Attempt.shift_id == shift.id, Attempt.candidate_id == candidate.id
            )
        )
    )
    if not ids:
        raise Conflict(
            _("Ce candidat ne fait pas partie de cette séance."),
            code="not_in_shift",
            details={"candidate_id": candidate.id},
        )
    delete_attempts(ids)
    db.session.flush()
    db.session.expire(shift, ["attempts"])
    return len(ids)


def delete_shift(shift: Shift) -> None:
    """Delete a shift that has not started, with its attempts and their seeded worlds."""
    _planned(shift, "delete")
    ids = list(db.session.scalars(sa.select(Attempt.id).where(Attempt.shift_id == shift.id)))
    delete_attempts(ids)
    db.session.flush()
    db.session.execute(sa.delete(Shift).where(Shift.id == shift.id))
    db.session.expunge(shift)
