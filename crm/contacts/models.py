"""Interactions with clients, qualification codes, callbacks, sales reps and appointments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import channels, clock
from crm.clients.models import Client
from crm.db import UTCDateTime, WorldMixin, db


class QualificationCode(WorldMixin, db.Model):
    """A code closing a contact (VENTE, RAPPEL, REFUS…) with its family and side effects."""

    __tablename__ = "qualification_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(24))
    label: Mapped[str] = mapped_column(sa.String(120))
    #: CA+ (argued, positive), CA- (argued, negative), CNA (not reached), closed.
    family: Mapped[str] = mapped_column(sa.String(8))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: Side effects, e.g. ["callback_required"]; see contacts/services.py.
    effects: Mapped[list] = mapped_column(sa.JSON, default=list)

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "code", name="uq_qualification_code_attempt_code"),
    )


class Contact(WorldMixin, db.Model):
    """One interaction with a client on any channel, qualified when it ends."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(8))
    direction: Mapped[str] = mapped_column(sa.String(8))
    subject: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Phone number or address of the other party, when known.
    party: Mapped[str | None] = mapped_column(sa.String(160))
    agent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    code: Mapped[str | None] = mapped_column(sa.String(24))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    qualified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True for the scenario's history, False for contacts of the attempt.
    historical: Mapped[bool] = mapped_column(default=False)

    client: Mapped[Client | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(channels.sql_in("channel", channels.names()), name="channel"),
        sa.CheckConstraint("direction in ('inbound', 'outbound')", name="direction"),
    )


class Callback(WorldMixin, db.Model):
    """A call the agent promised to make (or the client asked for) at a given time."""

    __tablename__ = "callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    client: Mapped[Client] = relationship()


class SalesRep(WorldMixin, db.Model):
    """A field sales representative whose calendar takes appointments."""

    __tablename__ = "sales_rep"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(120))
    region: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str | None] = mapped_column(sa.String(160))
    slot_minutes: Mapped[int] = mapped_column(default=60)
    #: [{"weekday": 0, "start": "09:00", "end": "12:00"}, …] in Europe/Paris time.
    working_hours: Mapped[list] = mapped_column(sa.JSON, default=list)

    __table_args__ = (sa.UniqueConstraint("attempt_id", "key", name="uq_sales_rep_attempt_key"),)


class Appointment(WorldMixin, db.Model):
    """A slot in a sales rep's calendar, for a client or (client_id empty) already busy."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_rep.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    #: The contact during which it was booked (qualification codes requiring an appointment).
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    topic: Mapped[str] = mapped_column(sa.String(300))
    status: Mapped[str] = mapped_column(sa.String(10), default="booked")

    rep: Mapped[SalesRep] = relationship()
    client: Mapped[Client | None] = relationship()
