"""A client's subscription contract and the retention offers made on it."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.clients.models import Client
from crm.db import UTCDateTime, WorldMixin, db

#: A contract runs (`active`) until its cancellation is registered (`cancelled`, effective on
#: `cancellation_effective_on`).
CONTRACT_STATUSES = ("active", "cancelled")
#: An offer is `proposed`, then the customer `accepted` or `refused` it.
OFFER_STATUSES = ("proposed", "accepted", "refused")


class Contract(WorldMixin, db.Model):
    """A subscription: plan, monthly price, start and end of the minimum commitment."""

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    plan: Mapped[str] = mapped_column(sa.String(120))
    monthly_price: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    started_on: Mapped[date] = mapped_column(sa.Date)
    commitment_ends_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(12), default="active")
    cancellation_effective_on: Mapped[date | None] = mapped_column(sa.Date)
    cancellation_reason: Mapped[str] = mapped_column(sa.Text, default="")
    cancellation_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    client: Mapped[Client] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_contract_attempt_number"),
    )


class RetentionOffer(WorldMixin, db.Model):
    """One of the pack's retention offers, made on a contract, and the customer's answer."""

    __tablename__ = "retention_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    offer_key: Mapped[str] = mapped_column(sa.String(80))
    label: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[str] = mapped_column(sa.String(12), default="proposed")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    contract: Mapped[Contract] = relationship()
