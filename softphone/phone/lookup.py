"""What the attempt's world knows about a phone number: who it is, and its calling history."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa

from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.contacts.models import Contact, QualificationCode
from crm.db import db
from crm.training.models import Attempt
from crm.training.scenario_schema import normalize_phone
from softphone.phone.models import Call
from softphone.phone.rules import CallingPolicy, DialFacts

_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")
#: The qualification effect that marks a refusal (code REFUS in the default scenario).
REFUSAL_EFFECT = "block_number_60_days"


def to_e164(raw) -> str | None:
    """A French number typed any common way, or an international one in E.164, else None."""
    if not isinstance(raw, str):
        return None
    french = normalize_phone(raw)
    if french:
        return french
    compact = re.sub(r"[\s.\-]", "", raw.strip())
    return compact if _INTERNATIONAL.match(compact) and not compact.startswith("+33") else None


def clients_with_number(attempt_id: int, number: str) -> list[Client]:
    """Clients of the attempt having this number, or a contact person having it (screen pop)."""
    ids = set(
        db.session.scalars(
            sa.select(ClientPhone.client_id).where(
                ClientPhone.attempt_id == attempt_id, ClientPhone.e164 == number
            )
        )
    )
    persons = db.session.execute(
        sa.select(ContactPerson.client_id, ContactPerson.phone).where(
            ContactPerson.attempt_id == attempt_id, ContactPerson.phone.is_not(None)
        )
    )
    ids |= {client_id for client_id, phone in persons if normalize_phone(phone) == number}
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Client).where(Client.id.in_(ids)).order_by(Client.id)))


def _refusal_codes(attempt_id: int) -> set[str]:
    """Codes of the attempt whose effect marks a refusal."""
    codes = db.session.scalars(
        sa.select(QualificationCode).where(QualificationCode.attempt_id == attempt_id)
    )
    return {c.code for c in codes if REFUSAL_EFFECT in (c.effects or [])}


def dial_facts(
    attempt: Attempt, number: str, client: Client | None, now: datetime, policy: CallingPolicy
) -> DialFacts:
    """The facts the calling rules judge: client flags, recent attempts and refusals."""
    horizon = now - timedelta(days=max(policy.attempts_days, policy.refusal_days))
    contacts = db.session.scalars(
        sa.select(Contact).where(
            Contact.attempt_id == attempt.id,
            Contact.channel == "phone",
            Contact.direction == "outbound",
            Contact.started_at >= horizon,
        )
    )

    def to_this_number(contact: Contact) -> bool:
        """Whether the contact was a call to the number dialled."""
        if contact.party:
            return to_e164(contact.party) == number
        # The scenario's history keeps no number: a past call to the client counts.
        return client is not None and contact.client_id == client.id

    mine = [c for c in contacts if to_this_number(c)]
    attempts_since = now - timedelta(days=policy.attempts_days)
    refusal_since = now - timedelta(days=policy.refusal_days)
    refusal_codes = _refusal_codes(attempt.id)
    refusals = [
        c.qualified_at or c.started_at
        for c in mine
        if c.code in refusal_codes and (c.qualified_at or c.started_at) >= refusal_since
    ]
    return DialFacts(
        number=number,
        client_id=client.id if client else None,
        consumer=client is None or client.segment == "b2c",
        do_not_call=bool(client and client.do_not_call),
        blocked_until=client.call_blocked_until if client else None,
        recent_attempts=sum(1 for c in mine if c.started_at >= attempts_since),
        last_refusal_at=max(refusals, default=None),
        last_attempt_at=_last_dial(attempt.id, number),
    )


def _last_dial(attempt_id: int, number: str):
    """When the candidate last dialled this number (the phone's clock: the spacing rule)."""
    return db.session.scalar(
        sa.select(sa.func.max(Call.offered_at)).where(
            Call.attempt_id == attempt_id, Call.direction == "outbound", Call.number == number
        )
    )
