"""Campaigns (inbound or outbound) and the qualification codes they use."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db


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


class ShiftCampaign(db.Model):
    """The outbound campaign a trainer set up for a shift, copied into each attempt's world.

    It redefines one outbound campaign of the scenario (`base_key`) for the shift: its target
    list (the filters over the scenario's files), the qualification codes that apply, the call
    guide, the calling rules and the goal (crm.campaigns.setup validates it).
    """

    __tablename__ = "shift_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(
        sa.ForeignKey("shift.id", ondelete="CASCADE"), unique=True
    )
    #: Key of the scenario's outbound campaign it redefines in each world.
    base_key: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(160))
    #: TargetFilters.to_dict(): what the target list is drawn with.
    filters: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    qualification_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    call_guide: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Calling windows of the day, Paris time: [["09:00", "12:00"], ...].
    windows: Mapped[list] = mapped_column(sa.JSON, default=list)
    max_attempts: Mapped[int] = mapped_column(default=4)
    #: Shortest wait between two attempts to the same number.
    min_spacing_minutes: Mapped[int] = mapped_column(default=0)
    after_call_work_seconds: Mapped[int] = mapped_column(default=60)
    #: The codes that count as a success (an appointment, a sale, a completed survey).
    goal_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Successes aimed at per candidate, and/or a conversion rate (percent of reached targets).
    goal_count: Mapped[int | None] = mapped_column()
    goal_rate: Mapped[int | None] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        sa.CheckConstraint("max_attempts >= 1", name="max_attempts"),
        sa.CheckConstraint("min_spacing_minutes >= 0", name="min_spacing_minutes"),
        sa.CheckConstraint("after_call_work_seconds >= 1", name="after_call_work_seconds"),
    )
