"""What the role-player console shows: the customers waiting to be played, and one in detail.

Read-only: nothing here is recorded in the candidates' logs (the console reads the client file
with `load_client_file`, not the candidate's recorded `view_client`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crm import channels
from crm.auth.models import User
from crm.clients.models import Client
from crm.clients.serialize import client_file_dict
from crm.clients.services import load_client_file
from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent
from softphone.inbox.models import Conversation
from softphone.inbox.schemas import message_dict
from softphone.phone.models import Call
from softphone.phone.serialize import call_dict
from softphone.roleplay.models import RolePlay
from softphone.roleplay.services import LIVE_CALL, claim_of, scripted_correspondent
from softphone.scenarios.played import live_shift, played_live, scripted


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


def _persona(state: dict | None) -> dict | None:
    """The persona the scenario gives the customer (from its script), if it has one."""
    persona = ((state or {}).get("script") or {}).get("persona")
    return dict(persona) if isinstance(persona, dict) else None


def _client(client_id: int | None) -> dict | None:
    client = db.session.get(Client, client_id) if client_id else None
    return (
        {"id": client.id, "number": client.number, "name": client.display_name} if client else None
    )


def _players(attempt_ids: list[int]) -> dict[tuple[str, int], dict]:
    rows = db.session.scalars(sa.select(RolePlay).where(RolePlay.attempt_id.in_(attempt_ids)))
    return {
        ("call", r.call_id) if r.call_id else ("conversation", r.conversation_id): r.player_dict()
        for r in rows
    }


def waiting(shift: Shift, now: datetime) -> list[dict]:
    """The shift's customers on the line or in a written conversation, per candidate.

    Calls ringing or connected, and conversations not resolved; each says who plays it (or
    null), whether the script plays it (`scripted`, false once a person plays it) and whether
    it is the customer's turn (`customer_turn`).
    """
    attempts = {
        a.id: a
        for a in db.session.scalars(
            sa.select(Attempt).where(Attempt.shift_id == shift.id, Attempt.status == "active")
        )
    }
    if not attempts:
        return []
    ids = list(attempts)
    players = _players(ids)
    live = shift.mode == "live"
    items = []
    calls = db.session.scalars(
        sa.select(Call)
        .where(Call.attempt_id.in_(ids), Call.status.in_(LIVE_CALL))
        .order_by(Call.offered_at)
    )
    for call in calls:
        state = call.customer_state
        player = players.get(("call", call.id))
        items.append(
            {
                "kind": "call",
                "id": call.id,
                "attempt_id": call.attempt_id,
                "candidate": _candidate(attempts[call.attempt_id].candidate),
                "status": call.status,
                "direction": call.direction,
                "party": call.number,
                "client": _client(call.client_id),
                "persona": (_persona(state) or {}).get("name"),
                "scripted": scripted(state) and player is None,
                "player": player,
                "customer_turn": call.status == "on_call",
                "since": _iso(call.answered_at or call.offered_at),
            }
        )
    conversations = db.session.scalars(
        sa.select(Conversation)
        .where(Conversation.attempt_id.in_(ids), Conversation.status != "resolved")
        .order_by(Conversation.last_message_at)
    )
    states = _correspondents(ids)
    for conversation in conversations:
        last = conversation.messages[-1] if conversation.messages else None
        player = players.get(("conversation", conversation.id))
        state = states.get(conversation.id)
        items.append(
            {
                "kind": "conversation",
                "id": conversation.id,
                "attempt_id": conversation.attempt_id,
                "candidate": _candidate(attempts[conversation.attempt_id].candidate),
                "status": conversation.status,
                "channel": conversation.channel,
                "party": conversation.party,
                "subject": conversation.subject,
                "client": _client(conversation.client_id),
                "persona": (_persona(state) or {}).get("name"),
                "scripted": scripted(state) and player is None,
                "player": player,
                "customer_turn": last is not None and last.direction == "out",
                "since": _iso(conversation.last_message_at),
            }
        )
    for item in items:
        item["live_shift"] = live
    return items


def _correspondents(attempt_ids: list[int]) -> dict[int, dict]:
    """Conversation id → the customer state of the scripted correspondent writing in it."""
    rows = db.session.scalars(
        sa.select(TimelineEvent.customer_state).where(
            TimelineEvent.attempt_id.in_(attempt_ids),
            TimelineEvent.kind.in_(channels.names(written=True)),
            TimelineEvent.customer_state.is_not(None),
        )
    )
    return {state["conversation_id"]: state for state in rows if state.get("conversation_id")}


def _candidate(user: User) -> dict:
    return {"id": user.id, "username": user.username, "display_name": user.display_name}


def _client_file(client_id: int | None) -> dict | None:
    """The customer's client record, read-only (nothing recorded)."""
    client = db.session.get(Client, client_id) if client_id else None
    return client_file_dict(load_client_file(client)) if client is not None else None


def call_for_player(call: Call, now: datetime) -> dict:
    """A call as its role-player sees it: transcript, persona, client file, who plays it."""
    claim = claim_of(call=call)
    attempt = db.session.get(Attempt, call.attempt_id)
    return {
        "call": call_dict(call, now, transcript=True),
        "attempt_id": attempt.id,
        "shift_id": attempt.shift_id,
        "candidate": _candidate(attempt.candidate),
        "persona": _persona(call.customer_state),
        "client": _client_file(call.client_id),
        "player": claim.player_dict() if claim else None,
        "live": live_shift(attempt) or played_live(call.customer_state) or claim is not None,
    }


def conversation_for_player(conversation: Conversation) -> dict:
    """A written conversation as its role-player sees it: messages, persona, client file."""
    claim = claim_of(conversation=conversation)
    attempt = db.session.get(Attempt, conversation.attempt_id)
    correspondent = scripted_correspondent(conversation)
    state = correspondent.customer_state if correspondent is not None else None
    return {
        "conversation": {
            "id": conversation.id,
            "channel": conversation.channel,
            "party": conversation.party,
            "subject": conversation.subject,
            "status": conversation.status,
            "language": conversation.language,
            "messages": [message_dict(m) for m in conversation.messages],
        },
        "attempt_id": attempt.id,
        "shift_id": attempt.shift_id,
        "candidate": _candidate(attempt.candidate),
        "persona": _persona(state),
        "client": _client_file(conversation.client_id),
        "player": claim.player_dict() if claim else None,
        "live": live_shift(attempt) or played_live(state) or claim is not None,
    }
