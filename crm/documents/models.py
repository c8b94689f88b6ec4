"""A document generated from the world (PDF), stored as sent."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db

#: What can be generated, and from which world row.
DOCUMENT_KINDS = ("invoice", "order", "plan")


class GeneratedDocument(WorldMixin, db.Model):
    """A PDF made from a client's invoice, order or payment plan at a given moment."""

    __tablename__ = "generated_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(8))
    #: The invoice, order or payment plan it was made from (by `kind`).
    source_id: Mapped[int]
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: Hex SHA-256 of `content`: what the log records, so a download can be checked against it.
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (sa.CheckConstraint("kind in ('invoice', 'order', 'plan')", name="kind"),)
