"""Dunning: reminders sent, promises to pay, payment plans and their installments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.db import Money, UTCDateTime, WorldMixin, db

if TYPE_CHECKING:
    from crm.payments.models import Invoice


class Reminder(WorldMixin, db.Model):
    """A dunning step taken on an invoice (email, SMS, call, formal notice)."""

    __tablename__ = "reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    level: Mapped[int]
    channel: Mapped[str] = mapped_column(sa.String(8))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    body: Mapped[str] = mapped_column(sa.Text, default="")


class PromiseToPay(WorldMixin, db.Model):
    """A client's promise to pay an amount of an invoice by a date."""

    __tablename__ = "promise_to_pay"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(sa.ForeignKey("invoice.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    due_date: Mapped[date] = mapped_column(sa.Date)
    method: Mapped[str] = mapped_column(sa.String(16))
    status: Mapped[str] = mapped_column(sa.String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount"),)


plan_invoice = sa.Table(
    "plan_invoice",
    db.metadata,
    sa.Column("plan_id", sa.ForeignKey("payment_plan.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("invoice_id", sa.ForeignKey("invoice.id"), primary_key=True),
)


class PaymentPlan(WorldMixin, db.Model):
    """An échéancier: what is owed on some invoices, split into dated installments."""

    __tablename__ = "payment_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="active")
    total: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    installments: Mapped[list[Installment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Installment.seq"
    )
    #: Typed `list[Invoice]`: a bare `Mapped[list]` makes SQLAlchemy map a scalar.
    invoices: Mapped[list[Invoice]] = relationship("Invoice", secondary=plan_invoice)


class Installment(WorldMixin, db.Model):
    """One dated amount of a payment plan."""

    __tablename__ = "installment"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("payment_plan.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    due_date: Mapped[date] = mapped_column(sa.Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(sa.String(10), default="due")

    plan: Mapped[PaymentPlan] = relationship(back_populates="installments")

    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount"),)
