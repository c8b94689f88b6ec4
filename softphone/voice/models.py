"""A voiced call's recording: one audio file per call, kept under the instance folder."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db


class CallRecording(WorldMixin, db.Model):
    """Both sides of a voiced call, as the role-player's browser mixed and uploaded them."""

    __tablename__ = "call_recording"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id", ondelete="CASCADE"), unique=True)
    #: The file, relative to RECORDINGS_DIR (never a path a request chose).
    path: Mapped[str] = mapped_column(sa.String(200))
    #: audio/webm or audio/ogg, checked against the file's first bytes.
    media_type: Mapped[str] = mapped_column(sa.String(20))
    size: Mapped[int]
    #: Hex SHA-256 of the file, also written in the log (`call.recorded`).
    sha256: Mapped[str] = mapped_column(sa.String(64))
    #: Seconds from the answer to the end of the call, as the server saw them.
    duration: Mapped[float] = mapped_column(sa.Float)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)

    __table_args__ = (sa.CheckConstraint("size > 0", name="size"),)
