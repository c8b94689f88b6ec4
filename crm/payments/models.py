"""Invoices (receivables) and payments allocated to an order or an invoice."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.clients.models import Client
from crm.db import Money, UTCDateTime, WorldMixin, db


class Invoice(WorldMixin, db.Model):
    """An invoice; `status` is stored for paid/partial, overdue is derived from the date."""

    __tablename__ = "invoice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order.id"))
    issued_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date)
    #: Amount including VAT.
    amount: Mapped[Decimal] = mapped_column(Money)
    amount_paid: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    #: Highest dunning level reached (0 = none).
    dunning_level: Mapped[int] = mapped_column(default=0)

    client: Mapped[Client] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_invoice_attempt_number"),
        sa.CheckConstraint("amount >= 0", name="amount"),
        sa.CheckConstraint("amount_paid >= 0 and amount_paid <= amount", name="amount_paid"),
    )

    @property
    def amount_due(self) -> Decimal:
        """What is still owed."""
        return self.amount - self.amount_paid


class Payment(WorldMixin, db.Model):
    """A payment received; card payments keep only the masked number (BIN + last four)."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order.id"))
    invoice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoice.id"))
    method: Mapped[str] = mapped_column(sa.String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(sa.String(12), default="captured")
    #: e.g. "411111******1111"; the full number and the security code are never stored.
    masked_card: Mapped[str | None] = mapped_column(sa.String(24))
    card_brand: Mapped[str | None] = mapped_column(sa.String(16))
    card_expiry: Mapped[str | None] = mapped_column(sa.String(5))
    #: Cheque number, transfer reference or mandate reference.
    reference: Mapped[str | None] = mapped_column(sa.String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount"),
        sa.CheckConstraint(
            "method in ('card', 'transfer', 'cheque', 'direct_debit')", name="method"
        ),
        sa.CheckConstraint(
            "status in ('pending', 'captured', 'refused', 'refunded')", name="status"
        ),
    )
