"""Orders, their lines and the offers made while taking them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.catalog.models import Product
from crm.clients.models import Client
from crm.db import Money, UTCDateTime, WorldMixin, db


class Order(WorldMixin, db.Model):
    """An order; its status follows orders/states.py (after-sales rows in crm.aftersales)."""

    __tablename__ = "order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12), default="draft")
    ordered_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The day the carrier handed the parcel over: the withdrawal period runs from it.
    delivered_on: Mapped[date | None] = mapped_column(sa.Date)
    #: Set when the recap was read to the client; cleared when lines change after it.
    recap_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: True for the scenario's order history, False for orders taken in the attempt.
    historical: Mapped[bool] = mapped_column(default=False)

    client: Mapped[Client] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )
    offers: Mapped[list[Offer]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="Offer.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "number", name="uq_order_attempt_number"),
        sa.CheckConstraint(
            "status in ('draft', 'confirmed', 'paid', 'shipped', 'delivered', 'returned', "
            "'cancelled')",
            name="status",
        ),
    )


class OrderLine(WorldMixin, db.Model):
    """A whole number of sale units of one product, priced when added."""

    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"))
    quantity: Mapped[int]
    unit_price: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    #: Percent off from a promotion, if one applied when the line was added.
    discount_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    #: The out-of-stock product this line substitutes.
    replaces_product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("product.id"))
    additional: Mapped[bool] = mapped_column(default=False)
    #: Ordered beyond stock, to ship at the restock date.
    backorder: Mapped[bool] = mapped_column(default=False)
    #: Sale units of the line that ship at the restock date instead of from stock: the whole
    #: line when back-ordered at entry, the shortfall when confirmation found stock short.
    backorder_quantity: Mapped[int] = mapped_column(default=0, server_default="0")

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship(foreign_keys=[product_id])
    replaces: Mapped[Product | None] = relationship(foreign_keys=[replaces_product_id])

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity"),
        sa.CheckConstraint(
            "backorder_quantity >= 0 AND backorder_quantity <= quantity", name="backorder_quantity"
        ),
    )

    @property
    def from_stock(self) -> int:
        """Sale units of the line taken (or to take) from stock."""
        return self.quantity - self.backorder_quantity


class Offer(WorldMixin, db.Model):
    """A substitute or an additional product proposed to the client, accepted or refused."""

    __tablename__ = "offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("order.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id"))
    for_product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("product.id"))
    accepted: Mapped[bool]
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    order: Mapped[Order] = relationship(back_populates="offers")
    product: Mapped[Product] = relationship(foreign_keys=[product_id])
    for_product: Mapped[Product | None] = relationship(foreign_keys=[for_product_id])

    __table_args__ = (sa.CheckConstraint("kind in ('substitute', 'additional')", name="kind"),)
