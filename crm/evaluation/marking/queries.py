"""Reading the grading of an attempt × standard: markings, disagreements, state, final grades."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from crm.actionlog.seals import Seal
from crm.db import db
from crm.evaluation.marking.models import AgreedGrade, Marking, SignOff
from crm.evaluation.marking.states import marking_state
from crm.i18n import _


@dataclass
class Board:
    """Everything graded so far on one attempt × standard (read once per request)."""

    attempt_id: int
    standard_id: str
    first: Marking | None
    second: Marking | None
    agreed: dict[str, AgreedGrade]
    sign_off: SignOff | None

    @property
    def markings(self) -> list[Marking]:
        """The markings that exist, first first."""
        return [m for m in (self.first, self.second) if m is not None]

    @property
    def both_submitted(self) -> bool:
        """Whether both grids are handed in (only then are they compared)."""
        return bool(
            self.first and self.second and self.first.submitted_at and self.second.submitted_at
        )

    @property
    def disputes(self) -> list[str]:
        """Criteria the two handed-in markings graded differently, in the first grid's order."""
        if not self.both_submitted:
            return []
        second = {g.criterion_id: g.grade for g in self.second.grades}
        return [g.criterion_id for g in self.first.grades if second.get(g.criterion_id) != g.grade]

    @property
    def open_disputes(self) -> list[str]:
        """Disagreements still without an agreed grade."""
        return [c for c in self.disputes if c not in self.agreed]

    @property
    def state(self) -> str:
        """The state of the double-marking machine (see states.py)."""
        return marking_state(
            first_submitted=None if self.first is None else self.first.submitted_at is not None,
            second_submitted=None if self.second is None else self.second.submitted_at is not None,
            open_disputes=len(self.open_disputes),
            signed=self.sign_off is not None,
        )

    def marking_of(self, user_id: int) -> Marking | None:
        """The marking this user holds, if any."""
        return next((m for m in self.markings if m.evaluator_id == user_id), None)

    def is_marker(self, user_id: int) -> bool:
        """Whether this user holds the first or the second marking."""
        return self.marking_of(user_id) is not None

    def final(self) -> dict[str, dict]:
        """criterion id → {"grade", "comment"}: see `final_grades`. Not for a viewer: what a
        viewer may see of it is decided by `visibility.grades_view`."""
        first = self.first if self.first and self.first.submitted_at else None
        if first is None:
            return {}
        second = self.second if self.both_submitted else None
        open_disputes = set(self.open_disputes)
        result: dict[str, dict] = {}
        for grade in first.grades:
            cid = grade.criterion_id
            if cid in self.agreed:
                agreed = self.agreed[cid]
                result[cid] = {"grade": agreed.grade, "comment": agreed.comment}
            elif cid in open_disputes:
                continue
            else:
                comments = [grade.comment]
                other = second.grade_of(cid) if second else None
                if other is not None and other.comment and other.comment != grade.comment:
                    comments.append(other.comment)
                result[cid] = {
                    "grade": grade.grade,
                    "comment": "\n".join(c for c in comments if c),
                }
        return result


def board(attempt_id: int, standard_id: str) -> Board:
    """Load the grading of one attempt × standard."""
    markings = db.session.scalars(
        sa.select(Marking).where(
            Marking.attempt_id == attempt_id, Marking.standard_id == standard_id
        )
    ).all()
    by_role = {m.role: m for m in markings}
    agreed = db.session.scalars(
        sa.select(AgreedGrade).where(
            AgreedGrade.attempt_id == attempt_id, AgreedGrade.standard_id == standard_id
        )
    ).all()
    return Board(
        attempt_id=attempt_id,
        standard_id=standard_id,
        first=by_role.get("first"),
        second=by_role.get("second"),
        agreed={a.criterion_id: a for a in agreed},
        sign_off=sign_off_of(attempt_id, standard_id),
    )


def final_grades(attempt_id: int, standard_id: str) -> dict[str, dict]:
    """criterion id → {"grade", "comment"} of handed-in markings, whoever asks: views showing
    them to someone go through `visibility.grades_view`.

    Where the two markings disagreed, the agreed grade and its comment; where they agreed, the
    first marking's grade with both comments; with a single marking, its grades. A disagreement
    not yet settled and a criterion nobody graded are absent; nothing is final before the first
    marking is handed in (drafts never reach a report).
    """
    return board(attempt_id, standard_id).final()


def sign_off_of(attempt_id: int, standard_id: str) -> SignOff | None:
    """The sign-off of this attempt × standard, or None while unsigned."""
    return db.session.scalar(
        sa.select(SignOff).where(
            SignOff.attempt_id == attempt_id, SignOff.standard_id == standard_id
        )
    )


def sign_off_seals(attempt_id: int) -> list[Seal]:
    """The chain heads the attempt's sign-offs sealed (a crm.actionlog.seals source)."""
    rows = db.session.scalars(
        sa.select(SignOff).where(SignOff.attempt_id == attempt_id).order_by(SignOff.signed_at)
    )
    return [
        Seal(
            action_count=row.action_count,
            chain_head=row.chain_head,
            kind="sign-off",
            name=row.standard_id,
            sealed_at=row.signed_at,
        )
        for row in rows
    ]


def refuse_report_once_signed(attempt) -> str | None:
    """A candidate-report write guard: once a grid of the attempt is signed, the memo and the
    self-assessment shown beside the signed grades stay as they were."""
    signed = db.session.scalar(
        sa.select(sa.func.count(SignOff.id)).where(SignOff.attempt_id == attempt.id)
    )
    if signed:
        return _("Votre évaluation est signée : le bilan de fin de séance ne peut plus changer.")
    return None
