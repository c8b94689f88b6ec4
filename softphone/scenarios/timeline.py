"""The pack's timeline items and call plans as the softphone plays them.

Turns a timeline item (or a call-plan entry) into a scripted customer's script, checks every
script of a pack (the validator plugged into `crm.training.scenario_schema` at start-up), and
finds the scripted answerer of a number dialled from a campaign's call plan.
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa

from crm import channels
from crm.actionlog.verbs import VERBS
from crm.campaigns.models import Campaign
from crm.db import db
from crm.phones import normalize_phone
from crm.training.models import Attempt
from softphone.scenarios.validation import validate_script

DEFAULT_RING_SECONDS = 30
#: How long a customer whose call could not be offered (agent not ready) waits in the queue.
DEFAULT_QUEUE_SECONDS = 120
#: Seconds before a scripted correspondent's answer arrives, by channel (typing, then sending).
REPLY_DELAY = {c.name: c.customer_reply_seconds for c in channels.CHANNELS.values() if c.written}


def item_script(item: dict, key: str | None = None) -> dict | None:
    """The scripted customer of a timeline item or call-plan entry (None when it has none)."""
    if not item.get("script"):
        return None
    script = {"key": key or item.get("key") or "", "persona": item.get("persona"), "steps": []}
    script["steps"] = item["script"]
    if "nudge_after" in item:
        script["nudge_after"] = item["nudge_after"]
    if not script["key"]:
        del script["key"]
    return script


def _problems_of(script: dict, where: str) -> Iterator[tuple[str, str]]:
    """A script's problems, with paths in the pack (``timeline[3].script[1].action.verb``)."""
    for problem in validate_script(script, where, known_verbs=set(VERBS)):
        path = problem.path.replace(f"{where}.steps", f"{where}.script", 1)
        yield path, problem.message


def pack_script_problems(data: dict) -> Iterator[tuple[str, str]]:
    """Every problem of the pack's scripted customers: timeline items and call-plan entries."""
    for i, item in enumerate(data.get("timeline") or []):
        script = item_script(item) if isinstance(item, dict) else None
        if script is not None:
            yield from _problems_of(script, f"timeline[{i}]")
    for c, camp in enumerate(data.get("campaigns") or []):
        for j, entry in enumerate((camp or {}).get("call_plan") or []):
            script = item_script(entry, f"call-plan-{j}") if isinstance(entry, dict) else None
            if script is not None:
                yield from _problems_of(script, f"campaigns[{c}].call_plan[{j}]")


#: Every call dialled asks: built once (crm/db.py: hot statements).
_CAMPAIGNS = (
    sa.select(Campaign)
    .where(Campaign.attempt_id == sa.bindparam("attempt_id"))
    .order_by(Campaign.id)
)


def call_plan_script(attempt: Attempt, number: str) -> dict | None:
    """The scripted answerer of a number in one of the attempt's call plans, if any."""
    wanted = normalize_phone(number)
    if wanted is None:
        return None
    campaigns = db.session.scalars(_CAMPAIGNS, {"attempt_id": attempt.id})
    for campaign in campaigns:
        for j, entry in enumerate((campaign.settings or {}).get("call_plan") or []):
            if normalize_phone(entry.get("number") or "") == wanted:
                return item_script(entry, f"{campaign.key}-{j + 1}")
    return None
