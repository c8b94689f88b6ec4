"""Pushes of an attempt's statements to the LRS: evaluation data, outside the attempt's log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.db import UTCDateTime, db


class XapiPush(db.Model):
    """One successful push: every statement of the attempt up to `last_seq` was accepted.

    A push that fails leaves no row (the LRS may hold part of it; pushing again is idempotent).
    """

    __tablename__ = "xapi_push"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    #: Who asked for it (None: the CLI).
    pushed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    pushed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: The LRS's endpoint at the time (configuration changes; the record should not).
    endpoint: Mapped[str] = mapped_column(sa.String(255))
    statements: Mapped[int]
    #: Seq and hash of the last action pushed: which state of the log the LRS received.
    last_seq: Mapped[int]
    log_hash: Mapped[str] = mapped_column(sa.String(64))

    def to_dict(self) -> dict:
        """The JSON shape of the API."""
        return {
            "id": self.id,
            "attempt_id": self.attempt_id,
            "pushed_by_id": self.pushed_by_id,
            "pushed_at": self.pushed_at.isoformat(timespec="milliseconds"),
            "endpoint": self.endpoint,
            "statements": self.statements,
            "last_seq": self.last_seq,
            "log_hash": self.log_hash,
        }
