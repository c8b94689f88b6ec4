"""The campaigns' call plans as the desk shows them: who to call, how often, and the rules now.

Each entry of an outbound campaign's `call_plan` (see seed_data/scenarios/FORMAT.md) is judged
exactly as `dialing.dial` would judge it at this moment (same client match, same facts, same
policy), so the desk can warn before the candidate dials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from crm.campaigns.models import Campaign
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.db import db
from crm.phones import clients_with_number, to_e164
from crm.training.models import Attempt
from softphone.phone.lookup import dial_facts
from softphone.phone.rules import Breach, CallingPolicy, check_dial


@dataclass(frozen=True)
class PlanEntry:
    """One number of a call plan, with its history and the calling rules' verdict now."""

    number: str
    label: str
    client: Client | None
    attempts: int
    last_outcome: str | None
    last_called_at: datetime | None
    scripted: bool
    breaches: tuple[Breach, ...] = ()

    def to_dict(self) -> dict:
        """JSON form for GET /call-plan."""
        client = self.client
        return {
            "number": self.number,
            "label": self.label,
            "client": (
                {"id": client.id, "number": client.number, "name": client_name(client)}
                if client
                else None
            ),
            "attempts": self.attempts,
            "last_outcome": self.last_outcome,
            "last_called_at": self.last_called_at.isoformat() if self.last_called_at else None,
            "scripted": self.scripted,
            "breaches": [b.to_dict(shown=True) for b in self.breaches],
            "severe": any(b.severe for b in self.breaches),
        }


@dataclass(frozen=True)
class PlanCampaign:
    """An outbound campaign and its call plan."""

    key: str
    name: str
    entries: list[PlanEntry] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form for GET /call-plan."""
        return {
            "key": self.key,
            "name": self.name,
            "entries": [e.to_dict() for e in self.entries],
        }


def client_name(client: Client) -> str:
    """A client's name as the desk shows it (company, else first and last name)."""
    if client.company_name:
        return client.company_name
    return " ".join(p for p in (client.first_name, client.last_name) if p)


def _dialled_client(attempt_id: int, number: str) -> Client | None:
    """The client the dial would link: the only one having this number (as `dial` decides)."""
    matches = clients_with_number(attempt_id, number)
    return matches[0] if len(matches) == 1 else None


def _plan_client(attempt_id: int, client_number) -> Client | None:
    """The client named by the entry (its client number in the pack), if it exists."""
    if not isinstance(client_number, str) or not client_number:
        return None
    return db.session.scalar(
        sa.select(Client).where(Client.attempt_id == attempt_id, Client.number == client_number)
    )


def _last_contact(attempt_id: int, number: str, client: Client | None) -> Contact | None:
    """The last qualified outbound call to this number (or, without a number kept, the client)."""
    contacts = db.session.scalars(
        sa.select(Contact)
        .where(
            Contact.attempt_id == attempt_id,
            Contact.channel == "phone",
            Contact.direction == "outbound",
            Contact.code.is_not(None),
        )
        .order_by(Contact.started_at.desc(), Contact.id.desc())
    )
    for contact in contacts:
        if contact.party and to_e164(contact.party) == number:
            return contact
        if not contact.party and client is not None and contact.client_id == client.id:
            return contact
    return None


def plan_entry(attempt: Attempt, entry: dict, now: datetime, policy: CallingPolicy) -> PlanEntry:
    """One call-plan entry judged now (the number as E.164 when it is a valid one)."""
    raw = str(entry.get("number") or "")
    number = to_e164(raw) or raw
    dialled = _dialled_client(attempt.id, number)
    facts = dial_facts(attempt, number, dialled, now, policy)
    verdict = check_dial(facts, now, policy)
    client = _plan_client(attempt.id, entry.get("client")) or dialled
    last = _last_contact(attempt.id, number, client)
    return PlanEntry(
        number=number,
        label=str(entry.get("label") or ""),
        client=client,
        attempts=facts.recent_attempts,
        last_outcome=last.code if last else None,
        last_called_at=last.started_at if last else None,
        scripted=bool(entry.get("script")),
        breaches=verdict.breaches,
    )


def call_plan(attempt: Attempt, now: datetime) -> list[PlanCampaign]:
    """The attempt's outbound campaigns having a call plan, each entry judged now."""
    policy = CallingPolicy.from_settings(attempt.settings)
    campaigns = db.session.scalars(
        sa.select(Campaign)
        .where(Campaign.attempt_id == attempt.id, Campaign.kind == "outbound")
        .order_by(Campaign.id)
    )
    plans = []
    for campaign in campaigns:
        entries = [
            plan_entry(attempt, entry, now, policy)
            for entry in (campaign.settings or {}).get("call_plan") or []
            if isinstance(entry, dict)
        ]
        if entries:
            plans.append(PlanCampaign(campaign.key, campaign.name, entries))
    return plans
