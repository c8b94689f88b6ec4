"""Grading rows: markings and their grades, agreed grades, sign-offs, notes pinned on actions.

None of these rows is written into the attempt's action log: grading is about the log, and
recording it there would move the log's hash that the sign-off seals.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.auth.models import User
from crm.db import UTCDateTime, db

GRADE_CHECK = "grade in ('acquired', 'in_progress', 'not_acquired', 'not_observed')"


class Marking(db.Model):
    """One evaluator's grading of one attempt against one standard (first or second marking)."""

    __tablename__ = "marking"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    standard_id: Mapped[str] = mapped_column(sa.String(64))
    evaluator_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    #: first or second: the second evaluator grades without seeing the first's grades.
    role: Mapped[str] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Set when the evaluator hands the marking in; its grades are then read-only.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    evaluator: Mapped[User] = relationship()
    grades: Mapped[list[Grade]] = relationship(
        back_populates="marking", cascade="all, delete-orphan", order_by="Grade.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "standard_id", "role", name="uq_marking_role"),
        sa.UniqueConstraint(
            "attempt_id", "standard_id", "evaluator_id", name="uq_marking_evaluator"
        ),
        sa.CheckConstraint("role in ('first', 'second')", name="role"),
    )

    def grade_of(self, criterion_id: str) -> Grade | None:
        """This marking's grade for a criterion, if given."""
        return next((g for g in self.grades if g.criterion_id == criterion_id), None)


class Grade(db.Model):
    """A marking's grade (crm.evaluation.grades) and comment for one criterion."""

    __tablename__ = "marking_grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    marking_id: Mapped[int] = mapped_column(
        sa.ForeignKey("marking.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(sa.String(32))
    grade: Mapped[str] = mapped_column(sa.String(16))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    marking: Mapped[Marking] = relationship(back_populates="grades")

    __table_args__ = (
        sa.UniqueConstraint("marking_id", "criterion_id", name="uq_marking_grade_criterion"),
        sa.CheckConstraint(GRADE_CHECK, name="grade"),
    )


class AgreedGrade(db.Model):
    """The grade both evaluators settled on for a criterion they had graded differently."""

    __tablename__ = "agreed_grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    standard_id: Mapped[str] = mapped_column(sa.String(64))
    criterion_id: Mapped[str] = mapped_column(sa.String(32))
    grade: Mapped[str] = mapped_column(sa.String(16))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    #: The evaluator who entered the agreement (one of the two markers).
    agreed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    agreed_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint(
            "attempt_id", "standard_id", "criterion_id", name="uq_agreed_grade_criterion"
        ),
        sa.CheckConstraint(GRADE_CHECK, name="grade"),
    )


class SignOff(db.Model):
    """The seal on an attempt's grades for a standard: who signed, when, and the log it saw."""

    __tablename__ = "sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    standard_id: Mapped[str] = mapped_column(sa.String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: The evaluator who pressed « signer » (one of the markers).
    signed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    #: The markers, frozen at signing: [{"id", "username", "display_name", "role"}] (first first).
    signers: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: The attempt's chain head (hash of its last action) and action count when signed.
    chain_head: Mapped[str] = mapped_column(sa.String(64))
    action_count: Mapped[int]

    signed_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "standard_id", name="uq_sign_off_attempt"),
        sa.CheckConstraint("action_count >= 0", name="action_count"),
    )

    @property
    def signer_names(self) -> list[str]:
        """Display names of the signers, first marker first."""
        return [s["display_name"] for s in self.signers]


class ActionNote(db.Model):
    """A note an evaluator or trainer pins on one action of an attempt's log."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        sa.ForeignKey("action.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    author: Mapped[User] = relationship()

    def to_dict(self) -> dict:
        """The JSON shape of the API."""
        return {
            "id": self.id,
            "action_id": self.action_id,
            "attempt_id": self.attempt_id,
            "author": {"id": self.author_id, "username": self.author.username},
            "body": self.body,
            "created_at": self.created_at.isoformat(timespec="milliseconds"),
        }
