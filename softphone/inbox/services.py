"""Conversations in the candidate's hands: open, take, link, change status, qualify.

Customers' messages arrive through `receiving.py`; replies and the order confirmation go out
through `sending.py` and `confirmation.py`. Every service records its action in the
caller's transaction and never commits.

A conversation becomes a CRM contact (crm's `open_contact`, so there is one way to open one)
when the candidate takes it in hand: explicitly, or implicitly by replying or qualifying. Waiting
messages are not contacts yet: otherwise an unread email would forbid the next call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.contacts.services import Qualification, open_contact, qualify_contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from softphone.inbox.channels import channel_for
from softphone.inbox.models import Conversation, Message
from softphone.inbox.states import STATUS_EVENTS, STATUSES, conversation_next_status


@dataclass
class Opened:
    """A conversation as the candidate opened it, and how many messages became read."""

    conversation: Conversation
    messages: list[Message]
    marked_read: int


@dataclass
class Taken:
    """The CRM contact a conversation is worked under, and whether it was opened just now."""

    conversation: Conversation
    contact: Contact
    opened: bool


@dataclass
class QualifiedConversation:
    """A conversation closed with a qualification code."""

    conversation: Conversation
    qualification: Qualification
    old_status: str


def interaction_of(ctx: Ctx, conversation: Conversation) -> Ctx:
    """The ctx whose interaction is the conversation's open contact, else the conversation."""
    contact = conversation.contact
    if contact is not None and contact.qualified_at is None:
        return replace(ctx, interaction=("contact", contact.id))
    return replace(ctx, interaction=("conversation", conversation.id))


def open_conversation(ctx: Ctx, conversation: Conversation) -> Opened:
    """The candidate opens a conversation: its customer messages become read (recorded)."""
    now = clock.now()
    unread = [m for m in conversation.messages if m.direction == "in" and m.read_at is None]
    for message in unread:
        message.read_at = now
    db.session.flush()
    record(
        interaction_of(ctx, conversation),
        "conversation.opened",
        conversation,
        {
            "conversation_id": conversation.id,
            "channel": conversation.channel,
            "client_id": conversation.client_id,
            "status": conversation.status,
            "marked_read": len(unread),
        },
    )
    return Opened(conversation, list(conversation.messages), len(unread))


def _waited(conversation: Conversation) -> float | None:
    """Seconds the oldest unanswered customer message has waited, if one waits."""
    if conversation.awaiting_since is None:
        return None
    return round((clock.now() - conversation.awaiting_since).total_seconds(), 3)


def take_conversation(ctx: Ctx, conversation: Conversation) -> Taken:
    """Work the conversation under a CRM contact: its open one, or a new one (crm's rules)."""
    contact = conversation.contact
    if contact is not None and contact.qualified_at is None:
        return Taken(conversation, contact, False)
    contact = open_contact(
        ctx,
        conversation.client,
        conversation.channel,
        conversation.direction,
        subject=conversation.subject or channel_for(conversation.channel).label,
        party=conversation.party,
    )
    conversation.contact = contact
    db.session.flush()
    record(
        replace(ctx, interaction=("contact", contact.id)),
        "conversation.taken",
        conversation,
        {
            "conversation_id": conversation.id,
            "contact_id": contact.id,
            "channel": conversation.channel,
            "client_id": conversation.client_id,
            "waiting_seconds": _waited(conversation),
        },
    )
    return Taken(conversation, contact, True)


def link_client(ctx: Ctx, conversation: Conversation, client: Client) -> bool:
    """Link the conversation (and its open contact) to a client file; False if already so."""
    if client.attempt_id != ctx.attempt.id:
        raise ValidationFailed({"client_id": "Fiche client introuvable."})
    old = conversation.client_id
    if old == client.id:
        return False
    conversation.client = client
    contact = conversation.contact
    # A qualified contact is history: it keeps the client it was closed with.
    if contact is not None and contact.qualified_at is None:
        contact.client_id = client.id
    db.session.flush()
    record(
        interaction_of(ctx, conversation),
        "conversation.linked",
        conversation,
        {
            "conversation_id": conversation.id,
            "client_id": {"old": old, "new": client.id},
            "client_number": client.number,
            "party": conversation.party,
        },
    )
    return True


def set_status(ctx: Ctx, conversation: Conversation, status: str) -> Conversation:
    """Move a conversation to open, pending or resolved (resolved only once qualified)."""
    if status not in STATUSES:
        raise ValidationFailed({"status": "Statut attendu : " + ", ".join(STATUSES) + "."})
    new = conversation_next_status(conversation.status, STATUS_EVENTS[status])
    if new == "resolved" and not conversation.qualified:
        raise Conflict(
            "Qualifiez la conversation (code et note) : c'est ce qui la clôt.",
            code="not_qualified",
            details={"conversation_id": conversation.id},
        )
    old = conversation.status
    conversation.status = new
    db.session.flush()
    record(
        interaction_of(ctx, conversation),
        "conversation.status_changed",
        conversation,
        {"conversation_id": conversation.id, "status": {"old": old, "new": new}},
    )
    return conversation


def qualify_conversation(
    ctx: Ctx, conversation: Conversation, code: str, note: str
) -> QualifiedConversation:
    """Close a conversation: qualify its contact through crm (same codes, same effects)."""
    if conversation.qualified:
        raise Conflict(
            "Cette conversation est déjà qualifiée ; un nouveau message du client la rouvre.",
            code="already_qualified",
            details={"contact_id": conversation.contact_id},
        )
    taken = take_conversation(ctx, conversation)
    qualification = qualify_contact(ctx, taken.contact, code, note)
    old = conversation.status
    if old != "resolved":
        conversation.status = conversation_next_status(old, "resolve")
        db.session.flush()
        record(
            replace(ctx, interaction=("contact", taken.contact.id)),
            "conversation.status_changed",
            conversation,
            {
                "conversation_id": conversation.id,
                "status": {"old": old, "new": conversation.status},
                "reason": "qualified",
                "code": qualification.code.code,
            },
        )
    return QualifiedConversation(conversation, qualification, old)
