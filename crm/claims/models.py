"""Claims: complaints and disputes, with a small status machine (claims/states.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.clients.models import Client
from crm.db import UTCDateTime, WorldMixin, db
from crm.i18n import _l

#: Category labels, shown in the screen's language (lazy: str() them outside templates/JSON).
CATEGORIES = {
    "delivery_delay": _l("Retard de livraison"),
    "damaged": _l("Colis endommagé"),
    "wrong_item": _l("Erreur de produit"),
    "missing_item": _l("Article manquant"),
    "defective": _l("Produit défectueux"),
    "billing": _l("Erreur de facturation"),
    "service": _l("Qualité de service"),
    "other": _l("Autre"),
}


class Claim(WorldMixin, db.Model):
    """A complaint or dispute opened for a client."""

    __tablename__ = "claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order.id"))
    category: Mapped[str] = mapped_column(sa.String(20))
    description: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(12), default="open")
    resolution: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    client: Mapped[Client] = relationship()

    __table_args__ = (sa.UniqueConstraint("attempt_id", "number", name="uq_claim_attempt_number"),)
