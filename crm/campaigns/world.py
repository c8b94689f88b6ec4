"""The shift's campaign copied into a candidate's world, when the attempt starts working.

The scenario's outbound campaign it redefines (`base_key`) takes the set-up's name, codes, call
guide, after-call work maximum and call plan; the attempt's calling rules take its windows,
attempts per number and spacing. The desk's call plan, the dialler's rules, the room's wrap-up
alert and the evaluator's rules all read those, so they follow the campaign. A target the
scenario scripted (a call-plan entry for the same file) keeps its script: its customer answers.
Recorded as `campaign.assigned` in the attempt's log.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.campaigns.models import Campaign, ShiftCampaign
from crm.campaigns.progress import GOAL
from crm.campaigns.targeting import TargetFilters, select_targets
from crm.db import db
from crm.training.library import load_scenario
from crm.training.models import Attempt, Shift


def _scripted_entries(data: dict) -> dict[str, dict]:
    """The scenario's call-plan entries that name a file, by client number (first wins)."""
    entries: dict[str, dict] = {}
    for campaign in data.get("campaigns") or []:
        for entry in campaign.get("call_plan") or []:
            if isinstance(entry, dict) and entry.get("client"):
                entries.setdefault(entry["client"], entry)
    return entries


def call_plan_of(setup: ShiftCampaign, data: dict, today) -> list[dict]:
    """The call plan the set-up gives on `today`: one entry per target, scripts kept."""
    filters = TargetFilters(
        **{
            **(setup.filters or {}),
            "departments": tuple((setup.filters or {}).get("departments") or ()),
        }
    )
    scripted = _scripted_entries(data)
    plan = []
    for target in select_targets(data, filters, today):
        entry = dict(scripted.get(target.client) or {})
        entry.setdefault("number", target.number)
        entry["client"] = target.client
        entry.setdefault("label", f"{target.name} — {target.city}".strip(" —"))
        plan.append(entry)
    return plan


def assign_campaign(attempt: Attempt, setup: ShiftCampaign, actor: User | None) -> Campaign:
    """Copy the shift's campaign into this attempt's world (flushes, records, no commit)."""
    data = load_scenario(attempt.shift.scenario)
    plan = call_plan_of(setup, data, attempt.world_date)
    campaign = db.session.scalar(
        sa.select(Campaign).where(Campaign.attempt_id == attempt.id, Campaign.key == setup.base_key)
    )
    if campaign is None:
        campaign = Campaign(attempt_id=attempt.id, key=setup.base_key, kind="outbound")
        db.session.add(campaign)
    campaign.kind = "outbound"
    campaign.name = setup.name
    campaign.qualification_codes = list(setup.qualification_codes)
    campaign.settings = {
        **(campaign.settings or {}),
        "call_plan": plan,
        "call_guide": list(setup.call_guide),
        "after_call_work_seconds": setup.after_call_work_seconds,
    }
    rules = dict((attempt.settings or {}).get("calling_rules") or {})
    rules.update(
        max_attempts=setup.max_attempts,
        min_spacing_minutes=setup.min_spacing_minutes,
        windows=list(setup.windows),
    )
    goal = {
        "campaign": setup.base_key,
        "codes": list(setup.goal_codes),
        "count": setup.goal_count,
        "rate": setup.goal_rate,
    }
    # A new dict: the JSON column sees the change.
    attempt.settings = {**(attempt.settings or {}), "calling_rules": rules, GOAL: goal}
    db.session.flush()
    ctx = Ctx(attempt, actor.id if actor else None, actor.role if actor else "system")
    record(
        ctx,
        "campaign.assigned",
        campaign,
        {
            "campaign": setup.base_key,
            "name": setup.name,
            "targets": [e["client"] for e in plan],
            "calling_rules": rules,
            "after_call_work_seconds": setup.after_call_work_seconds,
            "goal": goal,
        },
    )
    return campaign


def assign_shift_campaign(shift: Shift, attempts: list[Attempt], actor: User | None) -> None:
    """Give these attempts the shift's campaign, if one was set up."""
    setup = db.session.scalar(sa.select(ShiftCampaign).where(ShiftCampaign.shift_id == shift.id))
    if setup is None:
        return
    for attempt in attempts:
        assign_campaign(attempt, setup, actor)
