"""A customer writes in: start or continue a conversation, link the client file, start the clock.

Used by the trainer's "play the customer" endpoint today, by the scenario timeline tomorrow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.clients.models import Client, ContactPerson
from crm.db import db
from crm.errors import ValidationFailed
from crm.phones import clients_with_number, normalize_phone
from softphone.inbox.channels import CHANNELS
from softphone.inbox.models import Conversation, Message
from softphone.inbox.services import interaction_of
from softphone.inbox.states import conversation_next_status

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class ClientMatch:
    """The client a party's address or number designates, if exactly one does."""

    client: Client | None
    #: "email" or "phone" when matched, else None.
    matched_by: str | None
    #: How many clients matched (more than one: ambiguous, not linked).
    count: int


@dataclass
class Received:
    """An inbound message and the conversation it started or continued."""

    conversation: Conversation
    message: Message
    new_conversation: bool
    reopened: bool


def match_client(attempt_id: int, party: str) -> ClientMatch:
    """The attempt's client whose email, phone or contact person has this address or number."""
    ids: set[int] = set()
    by = None
    if "@" in party:
        by = "email"
        email = party.strip().lower()
        ids |= set(
            db.session.scalars(
                sa.select(Client.id).where(
                    Client.attempt_id == attempt_id, sa.func.lower(Client.email) == email
                )
            )
        )
        ids |= set(
            db.session.scalars(
                sa.select(ContactPerson.client_id).where(
                    ContactPerson.attempt_id == attempt_id,
                    sa.func.lower(ContactPerson.email) == email,
                )
            )
        )
    elif (e164 := normalize_phone(party)) is not None:
        by = "phone"
        ids |= {client.id for client in clients_with_number(attempt_id, e164)}
    if len(ids) == 1:
        return ClientMatch(db.session.get(Client, ids.pop()), by, 1)
    return ClientMatch(None, None, len(ids))


def _continued(ctx: Ctx, channel, party: str, subject: str | None) -> Conversation | None:
    """The conversation a new message from `party` continues, if any (channel's own rule)."""
    latest = db.session.scalars(
        sa.select(Conversation)
        .where(
            Conversation.attempt_id == ctx.attempt.id,
            Conversation.channel == channel.name,
            Conversation.party == party,
        )
        .order_by(Conversation.id.desc())
    )
    return next((c for c in latest if channel.continues(c, subject)), None)


def _inbound_attachments(raw) -> tuple[list[dict], str | None]:
    """Files a customer attached: a list of file names."""
    if raw is None:
        return [], None
    if not isinstance(raw, list) or not all(
        isinstance(name, str) and 0 < len(name.strip()) <= 200 for name in raw
    ):
        return [], "Liste de noms de fichiers attendue (200 caractères au plus chacun)."
    return [{"document_id": None, "title": n.strip(), "filename": n.strip()} for n in raw], None


def receive_message(
    ctx: Ctx,
    channel: str,
    party: str,
    body: str,
    subject: str | None = None,
    language: str = "fr",
    attachments: list | None = None,
    *,
    now: datetime | None = None,
) -> Received:
    """A customer writes: start or continue a conversation, link the client, start the clock."""
    errors: dict[str, str] = {}
    kind = CHANNELS.get(channel)
    chan = kind() if kind is not None else None
    address = chan.normalize_party(party) if chan is not None else None
    if chan is None:
        errors["channel"] = "Canal attendu : " + ", ".join(CHANNELS) + "."
    elif address is None:
        errors["party"] = chan.party_hint()
    limit = chan.max_length if chan is not None else 20000
    text = (body or "").strip() if isinstance(body, str) else ""
    if not text:
        errors["body"] = "Le message est vide."
    elif len(text) > limit:
        errors["body"] = f"{limit} caractères au plus."
    subject = (subject or "").strip() if isinstance(subject, str) else ""
    if len(subject) > 200:
        errors["subject"] = "200 caractères au plus."
    if language not in LANGUAGES:
        errors["language"] = "Langue attendue : fr ou en."
    files, problem = _inbound_attachments(attachments)
    if problem:
        errors["attachments"] = problem
    elif files and chan is not None and not chan.allows_attachments:
        errors["attachments"] = f"Pas de pièce jointe par {chan.label}."
    if errors:
        raise ValidationFailed(errors)
    now = now or clock.now()
    conversation = _continued(ctx, chan, address, subject)
    new = conversation is None
    old_status = None if new else conversation.status
    if new:
        conversation = Conversation(
            attempt_id=ctx.attempt.id,
            channel=chan.name,
            direction="inbound",
            party=address,
            subject=subject if chan.name == "email" else "",
            language=language,
            status="open",
            received_at=now,
        )
        db.session.add(conversation)
    else:
        conversation.status = conversation_next_status(conversation.status, "customer_wrote")
    match = ClientMatch(None, None, 0)
    if conversation.client_id is None:
        match = match_client(ctx.attempt.id, address)
        if match.client is not None:
            conversation.client = match.client
    if conversation.awaiting_since is None:
        conversation.awaiting_since = now
        conversation.deadline_at = now + chan.deadline(ctx.attempt.settings)
    conversation.last_message_at = now
    message = Message(
        attempt_id=ctx.attempt.id,
        conversation=conversation,
        direction="in",
        author="customer",
        author_id=ctx.actor_id,
        subject=subject,
        body=text,
        attachments=files,
        received_at=now,
    )
    db.session.add(message)
    db.session.flush()
    record(
        interaction_of(ctx, conversation),
        "message.received",
        message,
        {
            "conversation_id": conversation.id,
            "channel": chan.name,
            "party": address,
            "subject": subject,
            "language": conversation.language,
            "client_id": conversation.client_id,
            "linked_by": match.matched_by,
            "new_conversation": new,
            "status": {"old": old_status, "new": conversation.status},
            "deadline_at": conversation.deadline_at,
            "length": len(text),
            "attachments": [f["filename"] for f in files],
            "body": text,
        },
    )
    return Received(conversation, message, new, old_status == "resolved")
