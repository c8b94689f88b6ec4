"""The candidate's own side of evaluation: the memo to the supervisor and the self-assessment grid.

Both belong to the attempt (they carry its id like world rows) and are written by the candidate at
the end of the shift; the services that write them record `memo.sent` and
`self_assessment.submitted` in the attempt's log.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db


class Memo(WorldMixin, db.Model):
    """A memo (note de synthèse) the candidate sends to the supervisor about the shift."""

    __tablename__ = "memo"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class SelfAssessment(WorldMixin, db.Model):
    """The candidate's self-assessment against one standard; a draft until submitted."""

    __tablename__ = "self_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[str] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grades: Mapped[list[SelfGrade]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="SelfGrade.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "standard_id", name="uq_self_assessment_attempt"),
    )


class SelfGrade(db.Model):
    """The candidate's grade (crm.evaluation.grades) and comment for one criterion."""

    __tablename__ = "self_grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("self_assessment.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[str] = mapped_column(sa.String(32))
    grade: Mapped[str] = mapped_column(sa.String(16))
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    assessment: Mapped[SelfAssessment] = relationship(back_populates="grades")

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "criterion_id", name="uq_self_grade_criterion"),
        sa.CheckConstraint(
            "grade in ('acquired', 'in_progress', 'not_acquired', 'not_observed')", name="grade"
        ),
    )


def self_grades(attempt_id: int, standard_id: str, submitted_only: bool = True) -> dict[str, str]:
    """criterion id → the candidate's grade, for the grid shown beside the evaluator's grades."""
    query = (
        sa.select(SelfGrade.criterion_id, SelfGrade.grade)
        .join(SelfAssessment)
        .where(SelfAssessment.attempt_id == attempt_id, SelfAssessment.standard_id == standard_id)
    )
    if submitted_only:
        query = query.where(SelfAssessment.submitted_at.is_not(None))
    return dict(db.session.execute(query).all())
