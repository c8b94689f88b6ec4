"""The JSON shapes of conversations and messages (API.md "Phone and inbox")."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.db import db
from crm.documents.api import generated_url
from softphone.inbox.models import Conversation, Message
from softphone.inbox.sms import SmsMeasure


def iso(value: datetime | None) -> str | None:
    """An aware datetime as ISO 8601 with its offset (seconds), or None."""
    return value.isoformat(timespec="seconds") if value else None


#: Every answer that shows a conversation asks: built once (crm/db.py: hot statements).
_UNREAD = (
    sa.select(Message.conversation_id, sa.func.count(Message.id))
    .where(
        Message.conversation_id.in_(sa.bindparam("ids", expanding=True)),
        Message.direction == "in",
        Message.read_at.is_(None),
    )
    .group_by(Message.conversation_id)
)


def unread_counts(conversation_ids: list[int]) -> dict[int, int]:
    """Unread customer messages per conversation, for these conversations."""
    if not conversation_ids:
        return {}
    return dict(db.session.execute(_UNREAD, {"ids": list(conversation_ids)}).all())


def sms_dict(measure: SmsMeasure) -> dict:
    """What the SMS composer shows: encoding, length, segments, what forced Unicode."""
    return {
        "encoding": measure.encoding,
        "characters": measure.characters,
        "units": measure.units,
        "segments": measure.segments,
        "per_segment": measure.per_segment,
        "remaining": measure.remaining,
        "unicode_characters": list(measure.unicode_characters),
    }


def _attachment(entry) -> dict:
    """An attachment as listed; a generated document with the address to download it."""
    if isinstance(entry, dict) and entry.get("generated_id"):
        return {**entry, "url": generated_url(entry["generated_id"])}
    return entry


def message_dict(message: Message) -> dict:
    """A message as the desk shows it."""
    return {
        "id": message.id,
        "conversation_id": message.conversation_id,
        "direction": message.direction,
        "author": message.author,
        "subject": message.subject,
        "body": message.body,
        "template_id": message.template_id,
        "attachments": [_attachment(a) for a in message.attachments or []],
        "at": iso(message.at),
        "read": message.direction == "out" or message.read_at is not None,
        "sms": (
            {"encoding": message.encoding, "segments": message.segments}
            if message.encoding
            else None
        ),
    }


def conversation_dict(
    conversation: Conversation,
    *,
    unread: int | None = None,
    now: datetime | None = None,
    messages: bool = False,
) -> dict:
    """A conversation with its deadline countdown (negative seconds once late)."""
    now = now or clock.now()
    if unread is None:
        unread = unread_counts([conversation.id]).get(conversation.id, 0)
    deadline = conversation.deadline_at
    client = conversation.client
    body = {
        "id": conversation.id,
        "channel": conversation.channel,
        "direction": conversation.direction,
        "party": conversation.party,
        "subject": conversation.subject,
        "language": conversation.language,
        "status": conversation.status,
        "client_id": conversation.client_id,
        "client_name": client.display_name if client else None,
        "contact_id": conversation.contact_id,
        "qualified": conversation.qualified,
        "received_at": iso(conversation.received_at),
        "last_message_at": iso(conversation.last_message_at),
        "first_answered_at": iso(conversation.first_answered_at),
        "awaiting_since": iso(conversation.awaiting_since),
        "deadline_at": iso(deadline),
        "seconds_left": int((deadline - now).total_seconds()) if deadline else None,
        "overdue": bool(deadline and now > deadline),
        "unread": unread,
    }
    if messages:
        body["messages"] = [message_dict(m) for m in conversation.messages]
    return body
