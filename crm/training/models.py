"""Shifts run a scenario for candidates; each candidate works in an attempt (a private world)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.auth.models import User
from crm.db import UTCDateTime, db

#: The standard a shift is assessed against unless its trainer chose another: the candidate's
#: self-assessment and the bench both use the shift's, so they always agree.
DEFAULT_STANDARD = "mc-acvad-referentiel-certification"


class Shift(db.Model):
    """A mock shift: one scenario, a group of candidates, a status machine (see states.py)."""

    __tablename__ = "shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: Slug of the scenario pack in seed_data/scenarios/.
    scenario: Mapped[str] = mapped_column(sa.String(64))
    mode: Mapped[str] = mapped_column(sa.String(16), default="scripted")
    status: Mapped[str] = mapped_column(sa.String(16), default="planned")
    exam_mode: Mapped[bool] = mapped_column(default=False)
    #: Id of the standard (seed_data/standards/) the shift is assessed against: the grid the
    #: candidate fills in at the end and the one the bench opens first (set when the shift is
    #: opened, DEFAULT_STANDARD unless told otherwise).
    standard: Mapped[str | None] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The scenario clock (crm.training.timeline.shift_elapsed): total seconds spent paused
    #: before the current pause, and when the current pause began.
    paused_seconds: Mapped[int] = mapped_column(default=0, server_default="0")
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempts: Mapped[list[Attempt]] = relationship(
        back_populates="shift", order_by="Attempt.id", foreign_keys="Attempt.shift_id"
    )

    __table_args__ = (
        sa.CheckConstraint("mode in ('scripted', 'live')", name="mode"),
        sa.CheckConstraint("status in ('planned', 'running', 'paused', 'ended')", name="status"),
    )


class Attempt(db.Model):
    """One candidate's private copy of the scenario world inside a shift.

    A reset supersedes the attempt with a new one; the old attempt and its log stay readable.
    """

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shift.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    #: 1 for the first attempt of this candidate in this shift, then 2 after a reset, …
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(sa.String(16), default="active")
    #: The day relative scenario dates ("-30d") were resolved against.
    world_date: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replaced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attempt.id"))
    #: Hash of the last action of this attempt's log; updated with every action, so that
    #: concurrent writers of one attempt serialise on this row.
    chain_head: Mapped[str] = mapped_column(sa.String(64), default="0" * 64)
    #: Number of actions recorded so far (the next action's seq is action_count + 1).
    action_count: Mapped[int] = mapped_column(default=0)
    #: Scenario facts that are not rows: company, procedures, dunning ladder, card hashes.
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    shift: Mapped[Shift] = relationship(back_populates="attempts", foreign_keys=[shift_id])
    candidate: Mapped[User] = relationship(foreign_keys=[candidate_id])

    __table_args__ = (
        sa.CheckConstraint("status in ('active', 'superseded', 'closed')", name="status"),
        sa.UniqueConstraint("shift_id", "candidate_id", "number", name="uq_attempt_number"),
        # A candidate works in one world at a time: at most one active attempt each, enforced
        # by the database so that no path (page, API, CLI, two concurrent requests) breaks it.
        sa.Index(
            "uq_attempt_one_active_per_candidate",
            "candidate_id",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )


class ShiftStaff(db.Model):
    """A trainer or an evaluator added to the people who run a shift.

    The trainer who opened the shift runs it without a row here (`Shift.created_by_id`); the
    room, the role-play console and their API and sockets show a shift only to the people who
    run it (crm.training.staff).
    """

    __tablename__ = "shift_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    __table_args__ = (sa.UniqueConstraint("shift_id", "user_id", name="uq_shift_staff_user"),)
