"""What the attempt's world knows about a dialled number: its calling history (who it is:
`crm.phones.clients_with_number`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from crm.clients.models import Client
from crm.contacts.models import Contact, QualificationCode
from crm.db import db
from crm.phones import to_e164
from crm.training.models import Attempt
from softphone.phone.models import Call
from softphone.phone.rules import CallingPolicy, DialFacts

#: The qualification effect that marks a refusal (code REFUS in the default scenario).
REFUSAL_EFFECT = "block_number_60_days"


#: Every dial reads them: built once (crm/db.py: hot statements). The attempt's codes, its
#: outbound phone contacts since a horizon, and when a number was last dialled.
_CODES = sa.select(QualificationCode).where(
    QualificationCode.attempt_id == sa.bindparam("attempt_id")
)
_OUTBOUND_CALLS_SINCE = sa.select(Contact).where(
    Contact.attempt_id == sa.bindparam("attempt_id"),
    Contact.channel == "phone",
    Contact.direction == "outbound",
    Contact.started_at >= sa.bindparam("horizon"),
)
_LAST_DIAL = sa.select(sa.func.max(Call.offered_at)).where(
    Call.attempt_id == sa.bindparam("attempt_id"),
    Call.direction == "outbound",
    Call.number == sa.bindparam("number"),
)


def _refusal_codes(attempt_id: int) -> set[str]:
    """Codes of the attempt whose effect marks a refusal."""
    codes = db.session.scalars(_CODES, {"attempt_id": attempt_id})
    return {c.code for c in codes if REFUSAL_EFFECT in (c.effects or [])}


def dial_facts(
    attempt: Attempt, number: str, client: Client | None, now: datetime, policy: CallingPolicy
) -> DialFacts:
    """The facts the calling rules judge: client flags, recent attempts and refusals."""
    horizon = now - timedelta(days=max(policy.attempts_days, policy.refusal_days))
    contacts = db.session.scalars(
        _OUTBOUND_CALLS_SINCE, {"attempt_id": attempt.id, "horizon": horizon}
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
    return db.session.scalar(_LAST_DIAL, {"attempt_id": attempt_id, "number": number})
