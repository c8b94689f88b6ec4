"""Products sold in sale units, their stock, substitutes, complements and promotions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Money, WorldMixin, db


class Product(WorldMixin, db.Model):
    """A catalog item; price and stock are per sale unit (e.g. one box of 5 reams)."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(sa.String(32))
    name: Mapped[str] = mapped_column(sa.String(160))
    category: Mapped[str] = mapped_column(sa.String(80), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    sale_unit_label: Mapped[str] = mapped_column(sa.String(80))
    #: How many base items one sale unit holds.
    sale_unit_quantity: Mapped[int] = mapped_column(default=1)
    #: Price of one sale unit, excluding VAT.
    unit_price: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("20.00"))
    #: Sale units in stock.
    stock: Mapped[int] = mapped_column(default=0)
    restock_date: Mapped[date | None] = mapped_column(sa.Date)
    #: The warranty of one unit, in months from its delivery (None: no warranty to check).
    warranty_months: Mapped[int | None] = mapped_column()
    #: A warranty extension contract: months it adds to the other lines of its order.
    extends_warranty_months: Mapped[int | None] = mapped_column()

    links: Mapped[list[ProductLink]] = relationship(
        foreign_keys="ProductLink.product_id",
        order_by="ProductLink.rank",
        cascade="all, delete-orphan",
        back_populates="product",
    )

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "sku", name="uq_product_attempt_sku"),
        sa.CheckConstraint("unit_price >= 0", name="unit_price"),
        sa.CheckConstraint("stock >= 0", name="stock"),
        sa.CheckConstraint("sale_unit_quantity >= 1", name="sale_unit_quantity"),
        sa.CheckConstraint("warranty_months between 1 and 240", name="warranty_months"),
        sa.CheckConstraint(
            "extends_warranty_months between 1 and 240", name="extends_warranty_months"
        ),
    )

    @property
    def substitutes(self) -> list[Product]:
        """In-catalog substitutes, best first."""
        return [link.target for link in self.links if link.kind == "substitute"]

    @property
    def complements(self) -> list[Product]:
        """Additional-sale suggestions."""
        return [link.target for link in self.links if link.kind == "complement"]


class ProductLink(WorldMixin, db.Model):
    """An ordered substitute or complement of a product."""

    __tablename__ = "product_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(sa.ForeignKey("product.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(12))
    rank: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(foreign_keys=[product_id], back_populates="links")
    target: Mapped[Product] = relationship(foreign_keys=[target_id])

    __table_args__ = (sa.CheckConstraint("kind in ('substitute', 'complement')", name="kind"),)


class Promotion(WorldMixin, db.Model):
    """A percentage off some products between two dates."""

    __tablename__ = "promotion"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    label: Mapped[str] = mapped_column(sa.String(160))
    percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    #: SKUs the promotion applies to.
    skus: Mapped[list] = mapped_column(sa.JSON, default=list)
