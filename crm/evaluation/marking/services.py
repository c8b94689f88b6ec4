"""Grading services: grade, hand in, agree, sign off, pin a note. They flush, never commit.

None of them records an action in the attempt's log (grading is about the log; writing into it
would move the hash the sign-off seals). Each write first locks the attempt row, so that two
evaluators acting at once on one attempt take turns (PostgreSQL; SQLite writers already do).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, DomainError, ValidationFailed, next_status
from crm.evaluation.grades import GRADES
from crm.evaluation.grid_tools import FillRequest, ungraded
from crm.evaluation.marking.models import ActionNote, AgreedGrade, Grade, Marking, SignOff
from crm.evaluation.marking.queries import Board, board
from crm.evaluation.marking.states import (
    FIRST_MARKING,
    MARKING_TRANSITIONS,
    OPEN,
    RECONCILING,
    SECOND_MARKING,
    SIGNED,
)
from crm.evaluation.marking.visibility import visible_notes
from crm.evaluation.standards import Standard, StandardNotFound, get_standard
from crm.i18n import N_, _, translate
from crm.training.models import Attempt

#: Roles that may grade, agree, sign off and pin notes (never a candidate).
GRADERS = ("evaluator", "trainer")
COMMENT_MAX = 4000
#: Why a sign-off must wait, per state.
NOT_READY = {
    OPEN: N_("Rien n'est encore noté : remettez d'abord une notation."),
    FIRST_MARKING: N_("La première notation n'est pas remise : remettez-la avant de signer."),
    SECOND_MARKING: N_("La seconde notation est en cours : attendez qu'elle soit remise."),
    RECONCILING: N_("Des désaccords restent à régler : convenez d'une note pour chacun."),
}
NOTE_MAX = 4000


class NotAllowed(DomainError):
    """This person may not do this (403): a candidate grading, a non-marker signing…"""

    status = 403
    code = "forbidden"


@dataclass
class GradeEntry:
    """What an evaluator gives one criterion: a grade (None clears it) and a comment."""

    grade: str | None
    comment: str = ""


def resolve_standard(requested: str | None, default: str | None) -> Standard:
    """The standard asked for (else the shift's); ValidationFailed on `standard` otherwise."""
    standard_id = (requested or "").strip() or default
    if not standard_id:
        raise ValidationFailed({"standard": _("Choisissez un référentiel.")})
    try:
        return get_standard(standard_id)
    except StandardNotFound:
        raise ValidationFailed({"standard": _("Référentiel inconnu.")}) from None


def _lock(attempt: Attempt, standard: Standard, user: User) -> Board:
    """Check the grader's role, lock the attempt row, and read the grading afresh."""
    if user.role not in GRADERS:
        raise NotAllowed(_("Seuls les évaluateurs et formateurs peuvent noter."))
    db.session.execute(
        sa.select(Attempt.id).where(Attempt.id == attempt.id).with_for_update()
    ).scalar_one()
    return board(attempt.id, standard.id)


def _refuse_if_signed(current: Board) -> None:
    """409 `signed`: a sign-off locks every grade of the attempt × standard."""
    if current.state == SIGNED:
        raise Conflict(
            _("La notation est signée : plus aucune modification n'est possible."),
            code="signed",
        )


def _move(current: Board, event: str) -> str:
    """The state after `event`; 409 once signed or when the machine refuses the event."""
    _refuse_if_signed(current)
    return next_status(MARKING_TRANSITIONS, "double correction", current.state, event)


def _check_grade(fields: dict, key: str, grade) -> None:
    # Type first: a list or an object from a JSON body is no key of the scale (and a dict
    # cannot even be looked up in it).
    if not isinstance(grade, str) or grade not in GRADES:
        fields[key] = _("Note inconnue ; attendu : %(choices)s.", choices=", ".join(GRADES))


def _check_comment(fields: dict, key: str, comment) -> str:
    if comment is None:
        return ""
    if not isinstance(comment, str):
        fields[key] = _("Texte attendu.")
        return ""
    if len(comment) > COMMENT_MAX:
        fields[key] = _("%(n)s caractères au plus.", n=COMMENT_MAX)
    return comment.strip()


def validate_entries(standard: Standard, entries: dict) -> dict[str, GradeEntry]:
    """Check criterion ids, grades and comments; ValidationFailed names each bad field
    (`grades.<criterion>`, `grades.<criterion>.grade`, `grades.<criterion>.comment`)."""
    fields: dict[str, str] = {}
    clean: dict[str, GradeEntry] = {}
    if not isinstance(entries, dict) or not entries:
        raise ValidationFailed({"grades": _("Donnez au moins une note.")})
    for criterion_id, entry in entries.items():
        key = f"grades.{criterion_id}"
        if standard.criterion(str(criterion_id)) is None:
            fields[key] = _("Critère inconnu dans ce référentiel.")
            continue
        if not isinstance(entry, dict):
            fields[key] = _('Objet attendu : {"grade", "comment"}.')
            continue
        grade = entry.get("grade") or None
        comment = _check_comment(fields, key + ".comment", entry.get("comment"))
        if grade is None:
            if comment:
                fields[key + ".grade"] = _("Choisissez une note pour ce commentaire.")
        else:
            _check_grade(fields, key + ".grade", grade)
        clean[str(criterion_id)] = GradeEntry(grade, comment)
    if fields:
        raise ValidationFailed(fields)
    return clean


def _open_marking(current: Board, attempt: Attempt, standard: Standard, user: User) -> Marking:
    """The user's marking, opened as first or (blind) second when they hold none yet."""
    _refuse_if_signed(current)
    own = current.marking_of(user.id)
    if own is not None:
        if own.submitted_at is not None:
            raise Conflict(
                _("Votre notation est déjà remise : elle ne peut plus être modifiée."),
                code="marking_submitted",
            )
        _move(current, "grade_first" if own.role == "first" else "grade_second")
        return own
    if current.first is None:
        _move(current, "grade_first")
        return start_marking(attempt, standard, user, "first", current)
    if current.second is not None:
        raise Conflict(
            _("Cette tentative a déjà deux correcteurs pour ce référentiel."),
            code="markers_complete",
        )
    if current.first.submitted_at is None:
        raise Conflict(
            _(
                "La première notation n'est pas encore remise : la seconde correction "
                "commence ensuite."
            ),
            code="first_not_submitted",
        )
    _move(current, "grade_second")
    return start_marking(attempt, standard, user, "second", current)


def start_marking(
    attempt: Attempt, standard: Standard, user: User, role: str, current: Board
) -> Marking:
    """Open the user's marking in `role`; one evaluator never holds both roles on an attempt."""
    if role not in ("first", "second"):
        raise ValidationFailed({"role": _("Attendu : first ou second.")})
    other = current.second if role == "first" else current.first
    if other is not None and other.evaluator_id == user.id:
        raise ValidationFailed(
            {"role": _("Un même évaluateur ne peut pas être premier et second correcteur.")}
        )
    marking = Marking(
        attempt_id=attempt.id, standard_id=standard.id, evaluator_id=user.id, role=role
    )
    db.session.add(marking)
    db.session.flush()
    if role == "first":
        current.first = marking
    else:
        current.second = marking
    return marking


def save_grades(
    attempt: Attempt,
    standard: Standard,
    user: User,
    entries: dict,
    *,
    now: datetime | None = None,
) -> Marking:
    """Set (or clear) the user's grades and comments on some criteria of their draft marking."""
    clean = validate_entries(standard, entries)
    current = _lock(attempt, standard, user)
    marking = _open_marking(current, attempt, standard, user)
    now = now or clock.now()
    for criterion_id, entry in clean.items():
        row = marking.grade_of(criterion_id)
        if entry.grade is None:
            if row is not None:
                marking.grades.remove(row)
            continue
        if row is None:
            marking.grades.append(
                Grade(
                    criterion_id=criterion_id,
                    grade=entry.grade,
                    comment=entry.comment,
                    updated_at=now,
                )
            )
        elif (row.grade, row.comment) != (entry.grade, entry.comment):
            row.grade, row.comment, row.updated_at = entry.grade, entry.comment, now
    marking.updated_at = now
    db.session.flush()
    return marking


def fill_ungraded_grades(
    attempt: Attempt, standard: Standard, user: User, fill: FillRequest
) -> list[str]:
    """Give `fill.grade` to every criterion the user's draft leaves ungraded (in one
    competency, or all): « marquer le reste non observé ». The criteria filled, in order."""
    current = _lock(attempt, standard, user)
    marking = _open_marking(current, attempt, standard, user)
    graded = {g.criterion_id: g.grade for g in marking.grades}
    filled = ungraded(standard, graded, fill.competency_id)
    if filled:
        entries = {cid: {"grade": fill.grade, "comment": ""} for cid in filled}
        save_grades(attempt, standard, user, entries)
    return filled


def submit_marking(
    attempt: Attempt, standard: Standard, user: User, *, now: datetime | None = None
) -> Marking:
    """Hand in the user's marking: every criterion graded; read-only afterwards."""
    current = _lock(attempt, standard, user)
    marking = current.marking_of(user.id)
    _refuse_if_signed(current)
    if marking is None:
        raise Conflict(_("Vous n'avez pas de notation à remettre."), code="no_marking")
    if marking.submitted_at is not None:
        raise Conflict(_("Votre notation est déjà remise."), code="marking_submitted")
    _move(current, "submit_first" if marking.role == "first" else "submit_second")
    graded = {g.criterion_id for g in marking.grades}
    missing = {
        f"grades.{c.id}": _("Critère non noté.") for c in standard.criteria if c.id not in graded
    }
    if missing:
        raise ValidationFailed(missing, _("Notez chaque critère avant de remettre votre notation."))
    marking.submitted_at = now or clock.now()
    db.session.flush()
    return marking


def agree_grade(
    attempt: Attempt,
    standard: Standard,
    user: User,
    criterion_id: str,
    grade,
    comment="",
    *,
    now: datetime | None = None,
) -> AgreedGrade:
    """Record the grade both evaluators agreed on for a criterion they graded differently."""
    fields: dict[str, str] = {}
    if not isinstance(criterion_id, str) or standard.criterion(criterion_id) is None:
        fields["criterion"] = _("Critère inconnu dans ce référentiel.")
    _check_grade(fields, "grade", grade)
    comment = _check_comment(fields, "comment", comment)
    if fields:
        raise ValidationFailed(fields)
    current = _lock(attempt, standard, user)
    _move(current, "agree")
    if not current.is_marker(user.id):
        raise NotAllowed(_("Seuls les deux correcteurs peuvent s'accorder sur une note."))
    if criterion_id not in current.disputes:
        raise ValidationFailed({"criterion": _("Les deux correcteurs ont donné la même note.")})
    row = current.agreed.get(criterion_id)
    now = now or clock.now()
    if row is None:
        row = AgreedGrade(attempt_id=attempt.id, standard_id=standard.id, criterion_id=criterion_id)
        db.session.add(row)
    row.grade, row.comment, row.agreed_by_id, row.agreed_at = grade, comment, user.id, now
    db.session.flush()
    return row


def sign_off_grades(
    attempt: Attempt, standard: Standard, user: User, *, now: datetime | None = None
) -> SignOff:
    """Seal the grades: store the signers, the time, and the log's chain head and length."""
    current = _lock(attempt, standard, user)
    _refuse_if_signed(current)
    if current.state in NOT_READY:
        raise Conflict(translate(NOT_READY[current.state]), code="not_ready")
    _move(current, "sign_off")
    if not current.is_marker(user.id):
        raise NotAllowed(_("Seul un correcteur de cette tentative peut signer."))
    # The attempt row was just locked: its head and count are those of the log right now.
    head = db.session.execute(
        sa.select(Attempt.chain_head, Attempt.action_count).where(Attempt.id == attempt.id)
    ).one()
    signers = []
    for marking in current.markings:
        person = marking.evaluator
        signers.append(
            {
                "id": person.id,
                "username": person.username,
                "display_name": person.display_name,
                "role": marking.role,
            }
        )
    signed = SignOff(
        attempt_id=attempt.id,
        standard_id=standard.id,
        signed_at=now or clock.now(),
        signed_by_id=user.id,
        signers=signers,
        chain_head=head.chain_head,
        action_count=head.action_count,
    )
    db.session.add(signed)
    db.session.flush()
    return signed


def pin_note(attempt: Attempt, action: Action, user: User, body) -> ActionNote:
    """Pin an evaluator's note on one action of the attempt's log."""
    if user.role not in GRADERS:
        raise NotAllowed(_("Seuls les évaluateurs et formateurs peuvent annoter le journal."))
    if action.attempt_id != attempt.id:
        raise ValidationFailed({"action_id": _("Cette action n'appartient pas à la tentative.")})
    text = body.strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationFailed({"body": _("Champ obligatoire.")})
    if len(text) > NOTE_MAX:
        raise ValidationFailed({"body": _("%(n)s caractères au plus.", n=NOTE_MAX)})
    note = ActionNote(action_id=action.id, attempt_id=attempt.id, author_id=user.id, body=text)
    db.session.add(note)
    db.session.flush()
    return note


def notes_of(attempt_id: int, viewer_id: int) -> dict[int, list[ActionNote]]:
    """The attempt's pinned notes this viewer may read, grouped by action id, oldest first."""
    grouped: dict[int, list[ActionNote]] = {}
    for note in db.session.scalars(visible_notes(attempt_id, viewer_id)):
        grouped.setdefault(note.action_id, []).append(note)
    return grouped
