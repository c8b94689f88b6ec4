"""The candidate's end-of-shift report: the memo to the supervisor and the self-assessment grid.

Both are the candidate's own work, so sending the memo and submitting the grid are actions of the
attempt's log (`memo.sent`, `self_assessment.submitted`), recorded in the same transaction as the
rows; saving a self-assessment draft is not (it changes nothing anyone else sees).

When the candidate may write: only in their own attempt, while it is active (a reset attempt is
closed for good), once its shift has started — during the shift (running or paused) and after it
ended, for END_OF_SHIFT_GRACE_MINUTES (the end of the shift is when the memo is usually written;
past the grace period the evaluators are working on a log that must stop moving). Other packages
can add refusals with `write_guards` (e.g. the bench refusing once an attempt is signed off).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import Role, User
from crm.db import db
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.evaluation.grades import GRADES
from crm.evaluation.grid_tools import FillRequest, ungraded
from crm.evaluation.self_assessment import Memo, SelfAssessment, SelfGrade
from crm.evaluation.standards import Standard, StandardNotFound, get_standard
from crm.i18n import _, ngettext
from crm.training.models import DEFAULT_STANDARD, Attempt, Shift
from crm.training.services import current_attempt

#: The grid a candidate fills in when the shift names no standard (MC ACVAD 4.2 asks for it).

SUBJECT_MAX = 200
BODY_MAX = 10_000
COMMENT_MAX = 2_000

#: Extra refusals: each takes the attempt and returns a French message to refuse, or None.
write_guards: list[Callable[[Attempt], str | None]] = []


def grace_period() -> timedelta:
    """How long after the end of the shift the candidate may still send their report."""
    return timedelta(minutes=current_app.config.get("END_OF_SHIFT_GRACE_MINUTES", 120))


def closing_attempt(user: User, *, now: datetime | None = None) -> Attempt | None:
    """The attempt a candidate reports on: their current one, else one of a shift just ended."""
    if user.role != Role.CANDIDATE:
        return None
    attempt = current_attempt(user)
    if attempt is not None:
        return attempt
    since = (now or clock.now()) - grace_period()
    return db.session.scalar(
        sa.select(Attempt)
        .join(Shift, Attempt.shift_id == Shift.id)
        .where(
            Attempt.candidate_id == user.id,
            # Ending the shift closed the attempt (crm.training.services.change_shift_status).
            Attempt.status == "closed",
            Shift.status == "ended",
            Shift.ended_at >= since,
        )
        .order_by(Shift.ended_at.desc(), Attempt.id.desc())
        .limit(1)
    )


def check_writable(ctx: Ctx, *, now: datetime | None = None) -> None:
    """Refuse (Conflict) unless the attempt's candidate may still write their report."""
    attempt = ctx.attempt
    if ctx.actor_role != Role.CANDIDATE or ctx.actor_id != attempt.candidate_id:
        raise Conflict(
            _("Seul le candidat de la tentative peut rédiger son bilan."), code="not_your_attempt"
        )
    if attempt.status == "superseded":
        raise Conflict(
            _("Cette tentative a été réinitialisée : son bilan ne peut plus être modifié."),
            code="attempt_closed",
        )
    shift = attempt.shift
    if shift.status == "planned":
        raise Conflict(_("La séance n'a pas encore commencé."), code="shift_not_started")
    ended = shift.ended_at
    if shift.status == "ended" and ended and ended + grace_period() < (now or clock.now()):
        raise Conflict(
            _("La séance est terminée depuis trop longtemps : le bilan est clos."),
            code="report_closed",
        )
    for guard in write_guards:
        message = guard(attempt)
        if message:
            raise Conflict(message, code="report_closed")


def _lock(attempt: Attempt) -> None:
    """Take the attempt's row lock before reading what the write depends on (send once)."""
    db.session.execute(
        sa.select(Attempt.id).where(Attempt.id == attempt.id).with_for_update()
    ).scalar_one()


# --- Memo ---------------------------------------------------------------------------------------


def memo_of(attempt: Attempt) -> Memo | None:
    """The memo the attempt's candidate sent, if any."""
    return db.session.scalar(
        sa.select(Memo).where(Memo.attempt_id == attempt.id).order_by(Memo.id).limit(1)
    )


def validate_memo(subject, body) -> tuple[str, str]:
    """Subject and body trimmed; ValidationFailed naming each bad field."""
    errors: dict[str, str] = {}
    values = {}
    for name, value, limit in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        if value is not None and not isinstance(value, str):
            errors[name] = _("Texte attendu.")
            continue
        value = (value or "").strip()
        if not value:
            errors[name] = _("Champ obligatoire.")
        elif len(value) > limit:
            errors[name] = _("%(n)s caractères au plus.", n=limit)
        values[name] = value
    if errors:
        raise ValidationFailed(errors, _("La note de synthèse n'est pas complète."))
    return values["subject"], values["body"]


def send_memo(ctx: Ctx, subject, body) -> Memo:
    """Send the memo to the supervisor, once; records `memo.sent` with its text."""
    check_writable(ctx)
    subject, body = validate_memo(subject, body)
    _lock(ctx.attempt)
    if memo_of(ctx.attempt) is not None:
        raise Conflict(
            _("La note de synthèse a déjà été envoyée : elle ne peut plus être modifiée."),
            code="memo_already_sent",
        )
    memo = Memo(attempt_id=ctx.attempt.id, subject=subject, body=body, sent_at=clock.now())
    db.session.add(memo)
    db.session.flush()
    # The text goes into the log: what was sent is then part of the hash-chained record.
    record(
        ctx,
        "memo.sent",
        memo,
        {"subject": subject, "body": body, "words": len(body.split())},
    )
    return memo


def memo_dict(memo: Memo | None) -> dict | None:
    """The JSON shape of a memo."""
    if memo is None:
        return None
    return {
        "id": memo.id,
        "subject": memo.subject,
        "body": memo.body,
        "sent_at": memo.sent_at.isoformat(timespec="milliseconds"),
    }


# --- Self-assessment ----------------------------------------------------------------------------


def standard_for(attempt: Attempt) -> Standard:
    """The standard of the attempt's shift (or the default one); NotFound if it is missing."""
    standard_id = attempt.shift.standard or DEFAULT_STANDARD
    try:
        return get_standard(standard_id)
    except StandardNotFound:
        raise NotFound(
            _("Référentiel « %(id)s » introuvable.", id=standard_id), code="standard_not_found"
        ) from None


def assessment_of(attempt: Attempt, standard: Standard) -> SelfAssessment | None:
    """The attempt's self-assessment against `standard`, draft or submitted."""
    return db.session.scalar(
        sa.select(SelfAssessment).where(
            SelfAssessment.attempt_id == attempt.id, SelfAssessment.standard_id == standard.id
        )
    )


@dataclass(frozen=True)
class Entry:
    """What the candidate gave for one criterion (grade code or "", comment)."""

    criterion_id: str
    grade: str
    comment: str


def parse_entries(items, standard: Standard) -> list[Entry]:
    """Read `[{"criterion", "grade", "comment"?}, …]`; ValidationFailed naming `grades.<id>`."""
    if not isinstance(items, list):
        raise ValidationFailed({"grades": _("Liste attendue.")})
    errors: dict[str, str] = {}
    entries: dict[str, Entry] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[f"grades.{index}"] = _("Objet attendu.")
            continue
        criterion_id = item.get("criterion")
        if not isinstance(criterion_id, str) or standard.criterion(criterion_id) is None:
            errors[f"grades.{index}.criterion"] = _("Critère inconnu dans ce référentiel.")
            continue
        key = f"grades.{criterion_id}"
        if criterion_id in entries:
            errors[key] = _("Critère donné deux fois.")
            continue
        grade = item.get("grade") or ""
        comment = item.get("comment") or ""
        if not isinstance(grade, str) or (grade and grade not in GRADES):
            errors[key + ".grade"] = _(
                "Niveau inconnu ; attendu : %(choices)s.", choices=", ".join(GRADES)
            )
            continue
        if not isinstance(comment, str):
            errors[key + ".comment"] = _("Texte attendu.")
            continue
        comment = comment.strip()
        if len(comment) > COMMENT_MAX:
            errors[key + ".comment"] = _("%(n)s caractères au plus.", n=COMMENT_MAX)
            continue
        if comment and not grade:
            errors[key + ".grade"] = _("Choisissez un niveau pour commenter ce critère.")
            continue
        entries[criterion_id] = Entry(criterion_id, grade, comment)
    if errors:
        raise ValidationFailed(errors, _("La grille d'auto-évaluation contient des erreurs."))
    return list(entries.values())


def save_self_assessment(ctx: Ctx, entries: Iterable[Entry]) -> SelfAssessment:
    """Replace the draft's grades with `entries` (criteria left blank are removed)."""
    check_writable(ctx)
    standard = standard_for(ctx.attempt)
    _lock(ctx.attempt)
    assessment = assessment_of(ctx.attempt, standard)
    if assessment is None:
        assessment = SelfAssessment(attempt_id=ctx.attempt.id, standard_id=standard.id)
        db.session.add(assessment)
    elif assessment.submitted_at is not None:
        raise _already_submitted()
    wanted = {e.criterion_id: e for e in entries if e.grade}
    for grade in list(assessment.grades):
        if grade.criterion_id not in wanted:
            assessment.grades.remove(grade)
    existing = {g.criterion_id: g for g in assessment.grades}
    for criterion in standard.criteria:  # the standard's order, so rows read like the grid
        entry = wanted.get(criterion.id)
        if entry is None:
            continue
        row = existing.get(entry.criterion_id)
        if row is None:
            assessment.grades.append(
                SelfGrade(criterion_id=entry.criterion_id, grade=entry.grade, comment=entry.comment)
            )
        else:
            row.grade, row.comment = entry.grade, entry.comment
    assessment.updated_at = clock.now()
    db.session.flush()
    return assessment


def fill_self_assessment(ctx: Ctx, fill: FillRequest) -> list[str]:
    """Give `fill.grade` to every criterion of the draft still without a level (in one
    competency, or all); the criteria filled, in order. Refused once handed in."""
    standard = standard_for(ctx.attempt)
    assessment = assessment_of(ctx.attempt, standard)
    kept = {g.criterion_id: g for g in assessment.grades} if assessment else {}
    filled = ungraded(standard, {cid: g.grade for cid, g in kept.items()}, fill.competency_id)
    entries = [Entry(cid, g.grade, g.comment) for cid, g in kept.items()]
    entries += [Entry(cid, fill.grade, "") for cid in filled]
    save_self_assessment(ctx, entries)
    return filled


def submit_self_assessment(ctx: Ctx) -> SelfAssessment:
    """Hand in the draft: every criterion graded; then read-only. Records the grades."""
    check_writable(ctx)
    standard = standard_for(ctx.attempt)
    _lock(ctx.attempt)
    assessment = assessment_of(ctx.attempt, standard)
    if assessment is not None and assessment.submitted_at is not None:
        raise _already_submitted()
    graded = {g.criterion_id: g for g in assessment.grades} if assessment else {}
    missing = [c for c in standard.criteria if c.id not in graded]
    if missing:
        raise ValidationFailed(
            {f"grades.{c.id}.grade": _("Niveau à choisir avant la remise.") for c in missing},
            ngettext(
                "Il reste %(num)s critère sans niveau : la grille n'est pas remise.",
                "Il reste %(num)s critères sans niveau : la grille n'est pas remise.",
                len(missing),
            ),
        )
    now = clock.now()
    assessment.submitted_at = now
    assessment.updated_at = now
    db.session.flush()
    counts = {code: 0 for code in GRADES}
    for row in graded.values():
        counts[row.grade] += 1
    record(
        ctx,
        "self_assessment.submitted",
        assessment,
        {
            "standard": standard.id,
            "criteria": len(standard.criteria),
            "counts": counts,
            "grades": {c.id: graded[c.id].grade for c in standard.criteria},
            "comments": {
                c.id: graded[c.id].comment for c in standard.criteria if graded[c.id].comment
            },
        },
    )
    return assessment


def _already_submitted() -> Conflict:
    return Conflict(
        _("La grille d'auto-évaluation a déjà été remise : elle ne peut plus être modifiée."),
        code="self_assessment_submitted",
    )


def self_assessment_dict(attempt: Attempt, standard: Standard) -> dict:
    """The grid for the API: the standard, the status and every criterion with its grade."""
    assessment = assessment_of(attempt, standard)
    grades = {g.criterion_id: g for g in assessment.grades} if assessment else {}
    status = "submitted" if assessment and assessment.submitted_at else "draft"
    if assessment is None:
        status = "empty"
    criteria = []
    for criterion in standard.criteria:
        row = grades.get(criterion.id)
        criteria.append(
            {
                "id": criterion.id,
                "group": criterion.group_id,
                "competency": criterion.competency_id,
                "competency_title": criterion.competency_title,
                "text": criterion.text,
                "grade": row.grade if row else None,
                "comment": row.comment if row else "",
            }
        )
    return {
        "attempt_id": attempt.id,
        "standard": standard.to_dict(),
        "status": status,
        "updated_at": _iso(assessment.updated_at) if assessment else None,
        "submitted_at": _iso(assessment.submitted_at) if assessment else None,
        "graded": len(grades),
        "scale": [{"code": code, "label": _(label)} for code, label in GRADES.items()],
        "criteria": criteria,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="milliseconds") if moment else None
