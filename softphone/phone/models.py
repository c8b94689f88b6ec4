"""The agent's phone: its state, its calls and each call's transcript."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db


class AgentState(WorldMixin, db.Model):
    """The candidate's softphone in one attempt (one row per attempt; absent means offline)."""

    __tablename__ = "agent_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(10), default="offline")
    pause_reason: Mapped[str | None] = mapped_column(sa.String(60))
    #: When the current state began (timers are computed from it, server-side).
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: The call ringing, in progress or in wrap-up.
    current_call_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("call.id", ondelete="SET NULL")
    )
    logged_on_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    current_call: Mapped[Call | None] = relationship(foreign_keys=[current_call_id])

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", name="uq_agent_state_attempt"),
        sa.CheckConstraint(
            "state in ('offline', 'ready', 'pause', 'ringing', 'on_call', 'on_hold', 'wrap_up')",
            name="state",
        ),
    )


class Call(WorldMixin, db.Model):
    """One phone call, inbound or outbound; once connected it is a CRM contact (channel phone)."""

    __tablename__ = "call"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The contact opened when the call connected (none for a call never answered).
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id"), index=True)
    #: The client whose number matched (screen pop), if exactly one did.
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    direction: Mapped[str] = mapped_column(sa.String(8))
    #: E.164 (+33…).
    number: Mapped[str] = mapped_column(sa.String(16), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="ringing")
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Hold time of the finished holds; a hold in progress started at `hold_started_at`.
    hold_seconds: Mapped[float] = mapped_column(sa.Float, default=0.0)
    hold_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_count: Mapped[int] = mapped_column(default=0)
    wrap_up_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: agent, customer (a scripted customer hanging up) or caller (abandoned).
    ended_by: Mapped[str | None] = mapped_column(sa.String(10))
    transferred_to: Mapped[str | None] = mapped_column(sa.String(60))
    transfer_mode: Mapped[str | None] = mapped_column(sa.String(8))
    #: Key of the scripted customer's script, when the call carries one.
    script_key: Mapped[str | None] = mapped_column(sa.String(80))
    #: {"script": {...}, "engine": {...}} of the scripted customer (see softphone.scenarios).
    customer_state: Mapped[dict | None] = mapped_column(sa.JSON)

    turns: Mapped[list[CallTurn]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallTurn.id"
    )

    __table_args__ = (
        sa.CheckConstraint("direction in ('inbound', 'outbound')", name="direction"),
        sa.CheckConstraint(
            "status in ('ringing', 'on_call', 'on_hold', 'ended', 'abandoned', 'transferred')",
            name="status",
        ),
        sa.CheckConstraint("hold_seconds >= 0", name="hold_seconds"),
    )


class CallTurn(WorldMixin, db.Model):
    """One line of a call's transcript: the agent's, the customer's, or the system's."""

    __tablename__ = "call_turn"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("call.id", ondelete="CASCADE"), index=True)
    speaker: Mapped[str] = mapped_column(sa.String(8))
    text: Mapped[str] = mapped_column(sa.Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    call: Mapped[Call] = relationship(back_populates="turns")

    __table_args__ = (
        sa.CheckConstraint("speaker in ('agent', 'customer', 'system')", name="speaker"),
    )
