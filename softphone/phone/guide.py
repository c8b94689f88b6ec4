"""The call guide: the steps of a campaign's `call_guide`, ticked by the candidate during a contact.

A tick is evidence (the evaluator sees whether the guide was followed, step by step), so it is an
action of the log, `guide.step_ticked`, recorded inside the open contact. What is ticked is read
back from those actions, per contact: a new contact starts with every step unticked, and a page
reload shows exactly what the server holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx, record
from crm.campaigns.membership import attempt_campaigns, campaign_of
from crm.campaigns.models import Campaign
from crm.contacts.models import Contact
from crm.contacts.services import find_open_contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.training.models import Attempt

VERB = "guide.step_ticked"


@dataclass
class Guide:
    """A campaign's call guide, with what is ticked in the open contact."""

    key: str
    name: str
    steps: list[str]
    ticked: set[int] = field(default_factory=set)

    def to_dict(self) -> dict:
        """JSON form for GET /call-guide."""
        return {
            "campaign": self.key,
            "name": self.name,
            "steps": [
                {"index": i, "text": text, "checked": i in self.ticked}
                for i, text in enumerate(self.steps)
            ],
        }


def _campaigns(attempt: Attempt) -> list[Campaign]:
    return attempt_campaigns(attempt.id)


def steps_of(campaign: Campaign) -> list[str]:
    """The steps of a campaign's call guide (none when it has no guide)."""
    return [str(s) for s in (campaign.settings or {}).get("call_guide") or []]


def _ticked(contact: Contact, campaign_key: str) -> set[int]:
    """The steps ticked in this contact: the last tick or untick of each step wins."""
    ticks = db.session.scalars(
        sa.select(Action)
        .where(
            Action.attempt_id == contact.attempt_id,
            Action.verb == VERB,
            Action.interaction_type == "contact",
            Action.interaction_id == contact.id,
        )
        .order_by(Action.seq)
    )
    state: dict[int, bool] = {}
    for tick in ticks:
        if tick.payload.get("campaign") == campaign_key:
            state[tick.payload["step"]] = tick.payload["checked"]
    return {step for step, checked in state.items() if checked}


@dataclass
class GuideView:
    """What the desk shows: the open contact, its campaign, and the guides."""

    contact_id: int | None
    campaign: str | None
    guides: list[Guide]

    def to_dict(self) -> dict:
        """JSON form for GET /call-guide."""
        return {
            "contact_id": self.contact_id,
            "campaign": self.campaign,
            "guides": [g.to_dict() for g in self.guides],
        }


def guide_view(attempt: Attempt) -> GuideView:
    """The guide of the open contact's campaign (with its ticks), or every guide when idle."""
    campaigns = [c for c in _campaigns(attempt) if steps_of(c)]
    contact = find_open_contact(attempt.id)
    current = campaign_of(contact, _campaigns(attempt)) if contact else None
    if current is not None and steps_of(current):
        guide = Guide(current.key, current.name, steps_of(current), _ticked(contact, current.key))
        return GuideView(contact.id, current.key, [guide])
    guides = [Guide(c.key, c.name, steps_of(c)) for c in campaigns]
    return GuideView(contact.id if contact else None, None, guides)


def tick_step(ctx: Ctx, campaign_key: str, step: int, checked: bool) -> GuideView:
    """Tick or untick a step of the open contact's guide; recorded as `guide.step_ticked`."""
    contact = find_open_contact(ctx.attempt.id)
    if contact is None:
        raise Conflict(
            _("Aucun contact en cours : les étapes du guide se cochent pendant un contact."),
            code="no_open_contact",
        )
    campaign = next((c for c in _campaigns(ctx.attempt) if c.key == campaign_key), None)
    steps = steps_of(campaign) if campaign else []
    if not steps:
        raise ValidationFailed({"campaign": _("Campagne inconnue ou sans guide d'appel.")})
    if not 0 <= step < len(steps):
        raise ValidationFailed(
            {"step": _("Numéro d'étape attendu entre 0 et %(last)s.", last=len(steps) - 1)}
        )
    record(
        replace(ctx, interaction=("contact", contact.id)),
        VERB,
        contact,
        {"campaign": campaign.key, "step": step, "text": steps[step], "checked": checked},
    )
    return guide_view(ctx.attempt)
