"""The scenario clock of a shift and the timeline events it plays in each attempt (DESIGN §5).

The clock is per shift: ``elapsed = (now - started_at) - paused_seconds``, frozen while paused.
Each attempt gets its own copy of the pack's timeline as rows; a row is *claimed* in the
database (a conditional UPDATE) before it fires, so two server processes never fire it twice.
What firing means (a call rings, a message arrives) is the outside world's business:
``softphone.scenarios.scheduler`` does it.
"""

from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from crm import channels, clock
from crm.db import UTCDateTime, WorldMixin, db
from crm.training.models import Attempt, Shift

#: What a customer's timeline item can be (one kind per channel at the desk, from the channels
#: registry); "reply" rows are queued by a scripted correspondent's answers, and "payment" items
#: are payments the scenario makes arrive (a transfer, a cheque).
TIMELINE_KINDS = channels.timeline_kinds()
EVENT_KINDS = (*TIMELINE_KINDS, "payment", "reply")


def event_kind_labels() -> dict[str, object]:
    """Every event kind → the word a page shows for it (the channels' own, then the two
    kinds that are no channel)."""
    return {
        **channels.interaction_labels(by_kind=True),
        "payment": _l("Règlement"),
        "reply": _l("Réponse"),
    }


_OFFSET = re.compile(r"^\+(\d{2,3}):([0-5]\d)$")


def parse_offset(spec: object) -> int | None:
    """Seconds of a ``"+mm:ss"`` offset from the shift start, or None when malformed."""
    match = _OFFSET.match(spec) if isinstance(spec, str) else None
    return int(match.group(1)) * 60 + int(match.group(2)) if match else None


def shift_elapsed(shift: Shift, now: datetime | None = None) -> float:
    """Seconds of scenario time: since the start, minus pauses; frozen while paused."""
    if shift.started_at is None:
        return 0.0
    end = shift.paused_at or shift.ended_at or now or clock.now()
    return max(0.0, (end - shift.started_at).total_seconds() - (shift.paused_seconds or 0))


class TimelineEvent(WorldMixin, db.Model):
    """One thing the scenario makes happen in an attempt at a given scenario time."""

    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The pack's item key (a queued reply: ``<item key>~<n>``).
    key: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(8))
    #: Scenario seconds (see `shift_elapsed`) at which the event is due.
    fire_offset_seconds: Mapped[int]
    #: The pack's item as written (number/address, persona, script, message…).
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Set by the conditional UPDATE that wins the claim; committed before the event fires.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(64))
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: What firing did: {"status": "offered", "call_id": …}, {"status": "queued", …}…
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    #: A scripted correspondent's engine state (written channels), between their messages.
    customer_state: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "key", name="uq_timeline_event_attempt_key"),
        sa.CheckConstraint(channels.sql_in("kind", EVENT_KINDS), name="kind"),
        sa.CheckConstraint("fire_offset_seconds >= 0", name="fire_offset"),
    )


def timeline_events(attempt: Attempt, data: dict) -> list[TimelineEvent]:
    """The pack's timeline as rows of this attempt (not added to the session).

    An attempt created while its shift already runs (a reset) starts its timeline from now:
    otherwise every event already past would fire at once.
    """
    shift = attempt.shift or db.session.get(Shift, attempt.shift_id)
    base = int(shift_elapsed(shift)) if shift is not None and shift.started_at else 0
    events = []
    for item in data.get("timeline") or []:
        offset = parse_offset(item.get("at"))
        events.append(
            TimelineEvent(
                attempt_id=attempt.id,
                key=item["key"],
                kind=item["kind"],
                fire_offset_seconds=base + (offset or 0),
                payload=dict(item),
            )
        )
    return events
