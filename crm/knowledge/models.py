"""Knowledge-base articles, message templates and the document library."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import WorldMixin, db


class Article(WorldMixin, db.Model):
    """A knowledge-base article (read-only for candidates)."""

    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    category: Mapped[str] = mapped_column(sa.String(80), default="")
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)
    body: Mapped[str] = mapped_column(sa.Text)


class MessageTemplate(WorldMixin, db.Model):
    """A letter template with {{ variables }}, per channel and language."""

    __tablename__ = "message_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(160))
    channel: Mapped[str] = mapped_column(sa.String(8))
    language: Mapped[str] = mapped_column(sa.String(2))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)


class Document(WorldMixin, db.Model):
    """A document of the scenario's library, attachable to messages."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80))
    title: Mapped[str] = mapped_column(sa.String(200))
    filename: Mapped[str] = mapped_column(sa.String(200))
