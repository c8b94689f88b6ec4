"""An interview: one respondent's run through a campaign's questionnaire, during one contact."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from crm import clock
from crm.db import UTCDateTime, WorldMixin, db

#: in_progress → completed (every question on the path answered), over_quota (the respondent's
#: segment is full), refused (the respondent declined), postponed (a call-back was booked) or
#: abandoned (stopped midway by the candidate).
STATUSES = ("in_progress", "completed", "over_quota", "refused", "postponed", "abandoned")


class Interview(WorldMixin, db.Model):
    """A respondent's interview: the answers given so far, by question key."""

    __tablename__ = "survey_interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    survey_key: Mapped[str] = mapped_column(sa.String(60))
    contact_id: Mapped[int] = mapped_column(sa.ForeignKey("contact.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default="in_progress")
    #: question key → answer (text, list of texts, integer; None when skipped).
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The question asked now (None once the end of the questionnaire is reached).
    current: Mapped[str | None] = mapped_column(sa.String(60))
    #: Why it ended without being completed (refusal, call-back, quota, abandon).
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.CheckConstraint(
            "status in ('in_progress', 'completed', 'over_quota', 'refused', 'postponed', "
            "'abandoned')",
            name="status",
        ),
    )
