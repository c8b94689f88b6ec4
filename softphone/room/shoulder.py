"""Over the shoulder: what a candidate's desk shows, for a trainer or an evaluator to read.

Built from the same serialisers as the desk's own API, but through none of its services: no
action is recorded, no message is marked read, the candidate's log stays as it was.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.verbs import VERBS
from crm.db import db
from crm.training.models import Attempt
from softphone.inbox.models import Conversation
from softphone.inbox.schemas import conversation_dict, unread_counts
from softphone.phone.agent import load_agent
from softphone.phone.models import Call
from softphone.phone.serialize import call_dict, phone_dict

#: How many conversations and actions the view lists (the most recent).
CONVERSATIONS = 20
ACTIONS = 15


def _last_call(attempt_id: int) -> Call | None:
    return db.session.scalar(
        sa.select(Call).where(Call.attempt_id == attempt_id).order_by(Call.id.desc()).limit(1)
    )


def desk_snapshot(attempt: Attempt, now: datetime) -> dict:
    """The attempt's phone (with the current or last call's transcript), inbox and last actions."""
    agent = load_agent(attempt.id)
    phone = phone_dict(attempt, agent, now)
    if phone["call"] is None:
        last = _last_call(attempt.id)
        phone["last_call"] = call_dict(last, now, transcript=True) if last else None
    conversations = list(
        db.session.scalars(
            sa.select(Conversation)
            .where(Conversation.attempt_id == attempt.id)
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(CONVERSATIONS)
        )
    )
    unread = unread_counts([c.id for c in conversations])
    actions = db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id)
        .order_by(Action.seq.desc())
        .limit(ACTIONS)
    )
    return {
        "attempt_id": attempt.id,
        "shift_id": attempt.shift_id,
        "status": attempt.status,
        "candidate": {
            "id": attempt.candidate.id,
            "username": attempt.candidate.username,
            "display_name": attempt.candidate.display_name,
        },
        "now": now.isoformat(timespec="milliseconds"),
        "phone": phone,
        "conversations": [
            conversation_dict(c, unread=unread.get(c.id, 0), now=now, messages=True)
            for c in conversations
        ],
        "actions": [
            {
                "seq": a.seq,
                "verb": a.verb,
                "label": VERBS[a.verb].label if a.verb in VERBS else a.verb,
                "at": a.at.isoformat(timespec="milliseconds"),
                "actor_role": a.actor_role,
            }
            for a in actions
        ],
    }
