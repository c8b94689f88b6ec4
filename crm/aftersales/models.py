"""After-sales rows of a candidate's world: deliveries and their carrier events, returns,
credit notes and refunds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.clients.models import Client
from crm.db import Money, UTCDateTime, WorldMixin, db
from crm.orders.models import Order, OrderLine
from crm.payments.models import Invoice, Payment


class Delivery(WorldMixin, db.Model):
    """One parcel of a shipped order with a carrier; its status follows aftersales/states.py."""

    __tablename__ = "delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("order.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(sa.String(40))
    tracking_number: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(16), default="preparing")
    shipped_on: Mapped[date] = mapped_column(sa.Date)
    #: The delivery date the carrier announced.
    expected_on: Mapped[date | None] = mapped_column(sa.Date)
    #: The carrier's reference of the investigation opened on an incident.
    investigation_reference: Mapped[str | None] = mapped_column(sa.String(24))
    investigation_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The parcel sent again in place of this one (lost or damaged).
    replaced_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delivery.id", ondelete="SET NULL")
    )

    order: Mapped[Order] = relationship()
    events: Mapped[list[DeliveryEvent]] = relationship(
        back_populates="delivery",
        cascade="all, delete-orphan",
        order_by="(DeliveryEvent.at, DeliveryEvent.id)",
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "tracking_number", name="uq_delivery_attempt_tracking"),
        sa.CheckConstraint(
            "status in ('preparing', 'in_transit', 'out_for_delivery', 'delivered', 'incident', "
            "'investigating', 'replaced')",
            name="status",
        ),
    )

    @property
    def last_incident(self) -> DeliveryEvent | None:
        """The latest incident the carrier reported, if any."""
        return next((e for e in reversed(self.events) if e.kind == "incident"), None)


class DeliveryEvent(WorldMixin, db.Model):
    """A step of a parcel's journey as the carrier reported it (incident: what went wrong)."""

    __tablename__ = "delivery_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delivery.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: lost, damaged, delayed or address_problem when kind is incident.
    incident: Mapped[str | None] = mapped_column(sa.String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(120), default="")
    note: Mapped[str] = mapped_column(sa.Text, default="")

    delivery: Mapped[Delivery] = relationship(back_populates="events")

    __table_args__ = (
        sa.CheckConstraint(
            "kind in ('picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'incident')",
            name="kind",
        ),
        sa.CheckConstraint(
            "(kind = 'incident') = (incident is not null) and (incident is null or incident in "
            "('lost', 'damaged', 'delayed', 'address_problem'))",
            name="incident",
        ),
    )


class Return(WorldMixin, db.Model):
    """A withdrawal (L221-18) authorised on a shipped or delivered order, with its numbers."""

    __tablename__ = "order_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The return authorisation number the client writes on the parcel.
    number: Mapped[str] = mapped_column(sa.String(24))
    #: The carrier's return label code sent to the client.
    label_code: Mapped[str] = mapped_column(sa.String(24))
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("order.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="authorised")
    #: The last day the withdrawal could be declared (delivery + 14 days, weekend moved on).
    deadline: Mapped[date | None] = mapped_column(sa.Date)
    #: Including VAT: what the returned units cost the client.
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    authorised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    order: Mapped[Order] = relationship()
    client: Mapped[Client] = relationship()
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="return_", cascade="all, delete-orphan", order_by="ReturnLine.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_order_return_attempt_number"),
        sa.CheckConstraint("status in ('authorised', 'credited', 'cancelled')", name="status"),
        sa.CheckConstraint("amount > 0", name="amount"),
    )


class ReturnLine(WorldMixin, db.Model):
    """Sale units of one order line sent back."""

    __tablename__ = "return_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        sa.ForeignKey("order_return.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(sa.ForeignKey("order_line.id", ondelete="CASCADE"))
    quantity: Mapped[int]

    return_: Mapped[Return] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()

    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity"),)


class CreditNote(WorldMixin, db.Model):
    """An amount owed back to the client: from a return, or a goodwill gesture within limits."""

    __tablename__ = "credit_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order.id", ondelete="SET NULL"))
    invoice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invoice.id", ondelete="SET NULL"))
    return_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("order_return.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(sa.String(12))
    #: Including VAT.
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default="issued")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    client: Mapped[Client] = relationship()
    order: Mapped[Order | None] = relationship()
    invoice: Mapped[Invoice | None] = relationship()
    return_: Mapped[Return | None] = relationship()
    refunds: Mapped[list[Refund]] = relationship(back_populates="credit_note", order_by="Refund.id")

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_credit_note_attempt_number"),
        sa.CheckConstraint("kind in ('return', 'goodwill')", name="kind"),
        sa.CheckConstraint("status in ('issued', 'refunded')", name="status"),
        sa.CheckConstraint("amount > 0", name="amount"),
    )


class Refund(WorldMixin, db.Model):
    """A credit note paid back on the payment it came from (a card: its masked form only)."""

    __tablename__ = "refund"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_note_id: Mapped[int] = mapped_column(
        sa.ForeignKey("credit_note.id", ondelete="CASCADE"), index=True
    )
    payment_id: Mapped[int] = mapped_column(sa.ForeignKey("payment.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    method: Mapped[str] = mapped_column(sa.String(16))
    amount: Mapped[Decimal] = mapped_column(Money)
    #: e.g. "497010******0019": never more of the card than the payment kept.
    masked_card: Mapped[str | None] = mapped_column(sa.String(24))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    credit_note: Mapped[CreditNote] = relationship(back_populates="refunds")
    payment: Mapped[Payment] = relationship()

    __table_args__ = (sa.CheckConstraint("amount > 0", name="amount"),)
