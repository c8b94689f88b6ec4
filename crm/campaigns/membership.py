"""Which campaign a contact or a call belongs to, and that campaign's after-call work target.

Contacts and calls carry no campaign: an outbound phone call to a number of a campaign's call
plan is that campaign's; any other contact belongs to the first campaign of its direction
(inbound or outbound). The call guide, the desk's wrap-up timer and the evaluator's rule
`after_call_work_within_target` all ask here, so they always agree on the campaign.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.campaigns.models import Campaign
from crm.db import db
from crm.phones import normalize_phone

if TYPE_CHECKING:
    from crm.contacts.models import Contact

#: Campaign setting (seconds): the longest after-call work (wrap-up) of one call.
AFTER_CALL_WORK = "after_call_work_seconds"


def attempt_campaigns(attempt_id: int) -> list[Campaign]:
    """An attempt's campaigns in the scenario's order (which "first of its direction" reads)."""
    return list(
        db.session.scalars(
            sa.select(Campaign).where(Campaign.attempt_id == attempt_id).order_by(Campaign.id)
        )
    )


def campaign_of_call(
    direction: str, number: str | None, campaigns: list[Campaign]
) -> Campaign | None:
    """The campaign of a call: the call plan holding an outbound number, else its direction's.

    A number listed in two call plans belongs to the first, as the phone's dialler reads it.
    """
    wanted = normalize_phone(number or "") if direction == "outbound" else None
    if wanted:
        for campaign in campaigns:
            plan = (campaign.settings or {}).get("call_plan") or []
            for entry in plan:
                if isinstance(entry, dict) and normalize_phone(entry.get("number") or "") == wanted:
                    return campaign
    return next((c for c in campaigns if c.kind == direction), None)


def campaign_of(contact: Contact, campaigns: list[Campaign]) -> Campaign | None:
    """The campaign a contact belongs to (a phone contact by the number it dialled)."""
    number = contact.party if contact.channel == "phone" else None
    return campaign_of_call(contact.direction, number, campaigns)


def after_call_work_target(campaign: Campaign | None) -> int | float | None:
    """A campaign's after-call work target in seconds; None when it sets none (or no campaign)."""
    value = ((campaign.settings or {}) if campaign else {}).get(AFTER_CALL_WORK)
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return value if ok else None


def call_after_call_work_target(
    direction: str, number: str | None, campaigns: list[Campaign]
) -> int | float | None:
    """The after-call work target (seconds) of a call: its campaign's, or None."""
    return after_call_work_target(campaign_of_call(direction, number, campaigns))
