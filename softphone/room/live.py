"""The trainer's room: one tile per candidate of a shift, computed for the whole shift at once.

A room holds up to a couple of hundred candidates, so nothing here is asked per tile: each
query reads every attempt of the shift (or the attempts a push concerns), and the tiles are
assembled in Python. Nothing is recorded: watching a candidate leaves their log untouched.

The same tiles feed the room page, its Socket.IO pushes (`softphone.room.pushes`) and
`GET /api/v1/shifts/{id}/live`. A session can be passed in: pushes run after a commit, when
the request's session can no longer read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from crm.actionlog.models import Action
from crm.actionlog.verbs import VERBS
from crm.auth.models import User
from crm.campaigns.membership import call_after_call_work_target
from crm.campaigns.models import Campaign
from crm.campaigns.progress import Progress, progress_by_attempt, room_progress
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.db import db
from crm.training.models import Attempt, Shift
from crm.training.timeline import TimelineEvent, shift_elapsed
from softphone.inbox.models import Conversation
from softphone.phone.calls import hold_total
from softphone.phone.models import AgentState, Call
from softphone.room.alerts import Thresholds, alerts_for


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="milliseconds") if value else None


@dataclass
class Tile:
    """What the room shows of one candidate (the JSON of one item of the live endpoint)."""

    attempt_id: int
    candidate: dict
    phone: dict
    current: dict | None
    counts: dict
    last_action: dict | None
    wrap_up: dict | None
    alerts: list[dict] = field(default_factory=list)
    #: The shift campaign's progress in this world (crm.campaigns.progress), or None.
    campaign: dict | None = None
    #: The same progress as counted (the room sums them up); not part of the JSON.
    progress: Progress | None = None

    def to_dict(self) -> dict:
        """JSON form."""
        data = asdict(self)
        data.pop("progress")
        return data


@dataclass
class Room:
    """A shift's room: the shift, the time the tiles were computed, and the tiles."""

    shift: dict
    now: str
    thresholds: dict
    tiles: list[Tile]
    #: The campaign's progress summed over the room (None for a partial room or no campaign).
    campaign: dict | None = None

    def to_dict(self) -> dict:
        """JSON form (`items` and `total`, as every list of the API)."""
        return {
            "shift": self.shift,
            "now": self.now,
            "thresholds": self.thresholds,
            "campaign": self.campaign,
            "items": [t.to_dict() for t in self.tiles],
            "total": len(self.tiles),
        }


def thresholds() -> Thresholds:
    """The alert thresholds of this installation (config ROOM_*)."""
    config = current_app.config
    return Thresholds(
        idle_seconds=int(config["ROOM_IDLE_MINUTES"]) * 60,
        hold_seconds=int(config["ROOM_HOLD_ALERT_SECONDS"]),
        ring_seconds=int(config["ROOM_RING_ALERT_SECONDS"]),
    )


def shift_summary(shift: Shift, now: datetime) -> dict:
    """The shift as the room's header shows it."""
    return {
        "id": shift.id,
        "name": shift.name,
        "scenario": shift.scenario,
        "mode": shift.mode,
        "status": shift.status,
        "standard": shift.standard,
        "elapsed_seconds": int(shift_elapsed(shift, now)),
    }


def live_room(shift: Shift, now: datetime, *, session=None, attempt_ids=None) -> Room:
    """The room of a shift: a tile per active attempt (only `attempt_ids` when given)."""
    session = session or db.session
    limits = thresholds()
    tiles = live_tiles(session, shift, now, limits, attempt_ids)
    room = Room(shift_summary(shift, now), _iso(now), asdict(limits), tiles)
    if attempt_ids is None:
        # Each tile holds its candidate's progress; the sum only means something for them all.
        room.campaign = room_progress([t.progress for t in tiles if t.progress is not None])
    return room


def live_tiles(session, shift: Shift, now: datetime, limits: Thresholds, attempt_ids=None):
    """The tiles of a shift's active attempts, a fixed number of queries whatever their count."""
    query = (
        sa.select(Attempt.id, Attempt.action_count, User.id, User.username, User.display_name)
        .join(User, Attempt.candidate_id == User.id)
        .where(Attempt.shift_id == shift.id, Attempt.status == "active")
        .order_by(User.display_name, Attempt.id)
    )
    if attempt_ids is not None:
        query = query.where(Attempt.id.in_(list(attempt_ids)))
    rows = session.execute(query).all()
    ids = [row[0] for row in rows]
    if not ids:
        return []
    facts = _Facts(session, ids, shift, now)
    tiles = []
    for attempt_id, action_count, user_id, username, display_name in rows:
        tile = facts.tile(attempt_id, action_count)
        tile.candidate = {"id": user_id, "username": username, "display_name": display_name}
        tile.alerts = alerts_for(tile, shift.status, now, limits)
        tile.progress = facts.progress.get(attempt_id)
        tile.campaign = tile.progress.to_dict() if tile.progress is not None else None
        tiles.append(tile)
    return tiles


class _Facts:
    """Everything the tiles need, read once for all the attempts."""

    def __init__(self, session, ids: list[int], shift: Shift, now: datetime):
        self.now = now
        self.agents = {
            agent.attempt_id: (agent, call)
            for agent, call in session.execute(
                sa.select(AgentState, Call)
                .outerjoin(Call, AgentState.current_call_id == Call.id)
                .where(AgentState.attempt_id.in_(ids))
            )
        }
        self.open_contacts: dict[int, list[Contact]] = defaultdict(list)
        for contact in session.scalars(
            sa.select(Contact)
            .where(
                Contact.attempt_id.in_(ids),
                Contact.qualified_at.is_(None),
                Contact.historical.is_(False),
            )
            .order_by(Contact.id)
        ):
            self.open_contacts[contact.attempt_id].append(contact)
        self.qualified = dict(
            session.execute(
                sa.select(Contact.attempt_id, sa.func.count())
                .where(
                    Contact.attempt_id.in_(ids),
                    Contact.qualified_at.is_not(None),
                    Contact.historical.is_(False),
                )
                .group_by(Contact.attempt_id)
            ).all()
        )
        open_ids = [c.id for cs in self.open_contacts.values() for c in cs]
        self.conversations: dict[int, list[Conversation]] = defaultdict(list)
        for conv in session.scalars(
            sa.select(Conversation).where(
                Conversation.attempt_id.in_(ids),
                sa.or_(
                    Conversation.awaiting_since.is_not(None),
                    Conversation.contact_id.in_(open_ids or [0]),
                ),
            )
        ):
            self.conversations[conv.attempt_id].append(conv)
        client_ids = {c.client_id for _a, c in self.agents.values() if c is not None}
        client_ids |= {c.client_id for cs in self.conversations.values() for c in cs}
        client_ids |= {c.client_id for cs in self.open_contacts.values() for c in cs}
        client_ids.discard(None)
        self.clients = {
            c.id: c.display_name
            for c in session.scalars(sa.select(Client).where(Client.id.in_(client_ids or [0])))
        }
        self.last_actions = {
            a.attempt_id: a
            for a in session.scalars(
                sa.select(Action)
                .join(
                    Attempt,
                    sa.and_(Action.attempt_id == Attempt.id, Action.seq == Attempt.action_count),
                )
                .where(Attempt.id.in_(ids))
            )
        }
        wrapping = [a for a, (agent, call) in self.agents.items() if agent.state == "wrap_up"]
        self.campaigns: dict[int, list[Campaign]] = defaultdict(list)
        if wrapping:
            for campaign in session.scalars(
                sa.select(Campaign).where(Campaign.attempt_id.in_(wrapping)).order_by(Campaign.id)
            ):
                self.campaigns[campaign.attempt_id].append(campaign)
        self.progress = progress_by_attempt(
            session,
            {
                attempt_id: settings or {}
                for attempt_id, settings in session.execute(
                    sa.select(Attempt.id, Attempt.settings).where(Attempt.id.in_(ids))
                )
            },
        )
        elapsed = shift_elapsed(shift, now)
        self.queued: dict[int, int] = defaultdict(int)
        for attempt_id, result in session.execute(
            sa.select(TimelineEvent.attempt_id, TimelineEvent.result).where(
                TimelineEvent.attempt_id.in_(ids),
                TimelineEvent.kind == "call",
                TimelineEvent.fired_at.is_(None),
                TimelineEvent.claimed_at.is_(None),
                TimelineEvent.fire_offset_seconds <= elapsed,
            )
        ):
            # An inbound call the agent could not take waits in the queue (scheduler).
            if isinstance(result, dict) and result.get("status") == "queued":
                self.queued[attempt_id] += 1

    def tile(self, attempt_id: int, action_count: int) -> Tile:
        """The tile of one attempt (candidate and alerts are filled by the caller)."""
        agent, call = self.agents.get(attempt_id, (None, None))
        conversations = self.conversations.get(attempt_id, [])
        open_contacts = self.open_contacts.get(attempt_id, [])
        phone = {
            "state": agent.state if agent else "offline",
            "since": _iso(agent.since) if agent else None,
            "pause_reason": agent.pause_reason if agent else None,
        }
        current = self._current(call, conversations, open_contacts)
        wrap_up = None
        if agent is not None and agent.state == "wrap_up" and call is not None:
            wrap_up = {
                "started_at": _iso(call.wrap_up_started_at),
                "max_seconds": call_after_call_work_target(
                    call.direction, call.number, self.campaigns.get(attempt_id, [])
                ),
            }
        awaiting = [c for c in conversations if c.awaiting_since is not None]
        counts = {
            "actions": action_count,
            "to_qualify": len(open_contacts),
            "qualified": self.qualified.get(attempt_id, 0),
            "waiting_messages": len(awaiting),
            "overdue_messages": sum(
                1 for c in awaiting if c.deadline_at is not None and c.deadline_at < self.now
            ),
            "queued_calls": self.queued.get(attempt_id, 0),
        }
        action = self.last_actions.get(attempt_id)
        last = None
        if action is not None:
            verb = VERBS.get(action.verb)
            last = {
                "verb": action.verb,
                "label": verb.label if verb else action.verb,
                "at": _iso(action.at),
                "actor_role": action.actor_role,
            }
        return Tile(attempt_id, {}, phone, current, counts, last, wrap_up)

    def _current(self, call, conversations, open_contacts) -> dict | None:
        """The call on the line, else the conversation being worked (the open contact's)."""
        if call is not None and call.status in ("ringing", "on_call", "on_hold"):
            return {
                "kind": "call",
                "id": call.id,
                "channel": "phone",
                "direction": call.direction,
                "party": call.number,
                "customer": self.clients.get(call.client_id),
                "status": call.status,
                "since": _iso(call.answered_at or call.offered_at),
                "on_hold": call.status == "on_hold",
                "hold_since": _iso(call.hold_started_at),
                "hold_seconds": round(hold_total(call, self.now), 1),
            }
        open_ids = {c.id for c in open_contacts}
        worked = [c for c in conversations if c.contact_id in open_ids]
        if worked:
            conv = worked[-1]
            return {
                "kind": "conversation",
                "id": conv.id,
                "channel": conv.channel,
                "direction": conv.direction,
                "party": conv.party,
                "customer": self.clients.get(conv.client_id),
                "status": conv.status,
                "since": _iso(conv.received_at),
                "subject": conv.subject,
                "deadline_at": _iso(conv.deadline_at),
            }
        return None
