"""A shift campaign's progress in each world: targets called, reached, outcomes, conversion.

Computed from the world (outbound phone contacts to the call plan's numbers and their codes),
never stored, for all the attempts of a room at once (a fixed number of queries). A target is
*reached* when one of its calls was qualified with a code outside the scenario's CNA family
(contact non abouti: no answer, voicemail, busy, gatekeeper, call back later); a *success* is a
contact qualified with one of the goal's codes; the conversion is successes per reached target.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa

from crm.campaigns.models import Campaign
from crm.contacts.models import Contact, QualificationCode
from crm.phones import normalize_phone

#: Attempt setting holding the campaign's goal (written by crm.campaigns.world).
GOAL = "campaign_goal"
#: Family of the codes that say the target was not reached.
NOT_REACHED_FAMILY = "CNA"


@dataclass
class Progress:
    """Where a campaign stands (one candidate, or the whole room summed up)."""

    campaign: str
    name: str
    targets: int = 0
    called: int = 0
    attempts: int = 0
    reached: int = 0
    successes: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    goal: dict = field(default_factory=dict)

    @property
    def conversion(self) -> float | None:
        """Successes per reached target, in percent (None before anyone was reached)."""
        return round(100 * self.successes / self.reached, 1) if self.reached else None

    def goal_met(self, candidates: int = 1) -> bool:
        """Every part of the goal reached (a count is per candidate)."""
        count, rate = self.goal.get("count"), self.goal.get("rate")
        if count is None and rate is None:
            return False
        if count is not None and self.successes < count * candidates:
            return False
        return rate is None or (self.conversion or 0) >= rate

    def to_dict(self, candidates: int = 1) -> dict:
        """JSON form: the counts, `conversion` (percent) and the goal with `met`."""
        data = asdict(self)
        data["conversion"] = self.conversion
        data["goal"] = {
            **self.goal,
            "target_count": (self.goal.get("count") or 0) * candidates or None,
            "met": self.goal_met(candidates),
        }
        return data


def progress_by_attempt(session, settings: dict[int, dict]) -> dict[int, Progress]:
    """Progress of each attempt that works in a shift campaign ({attempt id: settings})."""
    goals = {aid: s.get(GOAL) for aid, s in settings.items() if isinstance(s.get(GOAL), dict)}
    if not goals:
        return {}
    ids = list(goals)
    campaigns = {
        (c.attempt_id, c.key): c
        for c in session.scalars(sa.select(Campaign).where(Campaign.attempt_id.in_(ids)))
    }
    families = {
        (q.attempt_id, q.code): q.family
        for q in session.scalars(
            sa.select(QualificationCode).where(QualificationCode.attempt_id.in_(ids))
        )
    }
    contacts = session.scalars(
        sa.select(Contact)
        .where(
            Contact.attempt_id.in_(ids),
            Contact.channel == "phone",
            Contact.direction == "outbound",
            Contact.historical.is_(False),
        )
        .order_by(Contact.id)
    ).all()
    result = {}
    for aid, goal in goals.items():
        campaign = campaigns.get((aid, goal.get("campaign")))
        plan = ((campaign.settings or {}).get("call_plan") or []) if campaign else []
        numbers = {normalize_phone(str(e.get("number") or "")) for e in plan if isinstance(e, dict)}
        numbers.discard(None)
        progress = Progress(
            campaign=goal.get("campaign") or "",
            name=campaign.name if campaign else "",
            targets=len(numbers),
            goal={k: goal.get(k) for k in ("codes", "count", "rate")},
        )
        called, reached, outcomes = set(), set(), Counter()
        for contact in contacts:
            number = normalize_phone(contact.party or "")
            if contact.attempt_id != aid or number not in numbers:
                continue
            progress.attempts += 1
            called.add(number)
            if contact.code:
                outcomes[contact.code] += 1
                if families.get((aid, contact.code)) != NOT_REACHED_FAMILY:
                    reached.add(number)
                if contact.code in (goal.get("codes") or []):
                    progress.successes += 1
        progress.called, progress.reached = len(called), len(reached)
        progress.outcomes = dict(sorted(outcomes.items()))
        result[aid] = progress
    return result


def room_progress(progresses: list[Progress]) -> dict | None:
    """The room's progress: every candidate's summed up, the goal scaled to their number."""
    if not progresses:
        return None
    first = progresses[0]
    total = Progress(campaign=first.campaign, name=first.name, goal=dict(first.goal))
    outcomes: Counter = Counter()
    for p in progresses:
        total.targets += p.targets
        total.called += p.called
        total.attempts += p.attempts
        total.reached += p.reached
        total.successes += p.successes
        outcomes.update(p.outcomes)
    total.outcomes = dict(sorted(outcomes.items()))
    return {**total.to_dict(len(progresses)), "candidates": len(progresses)}
