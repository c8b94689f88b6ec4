"""Written conversations (email, SMS, chat) and their messages, in an attempt's world."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import channels, clock
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.db import UTCDateTime, WorldMixin, db


class Conversation(WorldMixin, db.Model):
    """A thread with one party on one channel; its status follows inbox/states.py."""

    __tablename__ = "conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(8))
    #: inbound when the customer wrote first, outbound when we did (order confirmation).
    direction: Mapped[str] = mapped_column(sa.String(8), default="inbound")
    #: Linked automatically by email address / phone number, or by hand.
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    #: The CRM contact the candidate is working (or last worked) this conversation under; opened
    #: on the first reply or qualification, not on reception, so that waiting messages never
    #: hold the one-open-contact rule against the phone.
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Email address, E.164 number (SMS) or chat visitor's name/address.
    party: Mapped[str] = mapped_column(sa.String(160))
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    status: Mapped[str] = mapped_column(sa.String(10), default="open")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: Since when the oldest unanswered customer message waits (None: nothing awaits us).
    awaiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When that message must be answered by (per channel; None: nothing awaits us).
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="Message.id"
    )

    __table_args__ = (
        sa.CheckConstraint(
            channels.sql_in("channel", channels.names(written=True)), name="channel"
        ),
        sa.CheckConstraint("direction in ('inbound', 'outbound')", name="direction"),
        sa.CheckConstraint("language in ('fr', 'en')", name="language"),
        sa.CheckConstraint("status in ('open', 'pending', 'resolved')", name="status"),
    )

    @property
    def qualified(self) -> bool:
        """Whether the contact it was last worked under is qualified (derived, never stored)."""
        return self.contact is not None and self.contact.qualified_at is not None


class Message(WorldMixin, db.Model):
    """One message of a conversation, from the customer (in) or the agent (out)."""

    __tablename__ = "message"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[str] = mapped_column(sa.String(3))
    author: Mapped[str] = mapped_column(sa.String(8))
    #: The candidate who wrote it (out) or the trainer who played the customer (in), if any.
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message_template.id"))
    #: [{"document_id": 3, "title": …, "filename": …}]; inbound files have no document_id.
    attachments: Mapped[list] = mapped_column(sa.JSON, default=list)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the candidate first saw it (inbound only): drives the unread counts.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: SMS only: "gsm7" or "ucs2", and how many SMS the text costs.
    encoding: Mapped[str | None] = mapped_column(sa.String(4))
    segments: Mapped[int | None]

    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    __table_args__ = (
        sa.CheckConstraint("direction in ('in', 'out')", name="direction"),
        sa.CheckConstraint("author in ('customer', 'agent')", name="author"),
        sa.CheckConstraint(
            "(direction = 'in' and received_at is not null)"
            " or (direction = 'out' and sent_at is not null)",
            name="moment",
        ),
    )

    @property
    def at(self) -> datetime:
        """When it was received (in) or sent (out)."""
        return self.received_at if self.direction == "in" else self.sent_at
