"""The append-only, hash-chained action log (DESIGN §4)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import UTCDateTime, db


class Action(db.Model):
    """One thing that happened in an attempt, as the server saw it."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempt.id"), index=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shift.id"), index=True)
    #: Position in the attempt's chain, from 1.
    seq: Mapped[int]
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    #: candidate, trainer, evaluator, or system / customer for the simulated world.
    actor_role: Mapped[str] = mapped_column(sa.String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    verb: Mapped[str] = mapped_column(sa.String(48), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(32))
    object_id: Mapped[int | None]
    #: The interaction in progress (contact, call, conversation) when the action happened.
    interaction_type: Mapped[str | None] = mapped_column(sa.String(32))
    interaction_id: Mapped[int | None]
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (sa.UniqueConstraint("attempt_id", "seq", name="uq_action_attempt_seq"),)

    def to_dict(self) -> dict:
        """The JSON shape used by the API and the timeline."""
        return {
            "id": self.id,
            "attempt_id": self.attempt_id,
            "seq": self.seq,
            "actor_id": self.actor_id,
            "actor_role": self.actor_role,
            "at": self.at.isoformat(timespec="milliseconds"),
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "interaction_type": self.interaction_type,
            "interaction_id": self.interaction_id,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }
