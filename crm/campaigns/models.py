"""Campaigns (inbound or outbound) and the qualification codes they use."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm.db import WorldMixin, db


class Campaign(WorldMixin, db.Model):
    """A campaign of the scenario; `settings` keeps the rest of its definition."""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(160))
    kind: Mapped[str] = mapped_column(sa.String(10))
    #: Codes (strings) a contact of this campaign may be qualified with.
    qualification_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (
        sa.CheckConstraint("kind in ('inbound', 'outbound')", name="kind"),
        sa.UniqueConstraint("attempt_id", "key", name="uq_campaign_attempt_key"),
    )
