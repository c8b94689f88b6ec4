"""Pushes after commit: actions collected per SQLAlchemy session, emitted once it commits.

`record` sends `action_recorded` inside the transaction; pushing then would tell a browser about
a change that may still be rolled back. So the receivers only note, on the session
(`session.info`), which rooms must hear which topics; `after_commit` emits them and a rollback
(or a session closed without commit) forgets them. Keyed on the session object, this works the
same for requests, CLI commands and the scheduler thread.

Savepoints (`session.begin_nested()`, e.g. a scripted customer's follow-up kept apart from the
candidate's send) are followed: releasing one pushes nothing yet, rolling one back forgets only
what was noted inside it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import object_session

from crm import clock
from crm.db import db
from crm.extensions import socketio
from crm.signals import action_recorded, shift_status_changed
from crm.training.models import Attempt
from softphone.roleplay.pushes import emit_changed as emit_console_changes
from softphone.room.pushes import emit_tiles

NAMESPACE = "/desk"
#: Where the pending pushes of a session live in `session.info`.
INFO_KEY = "plateau.realtime.pending"
#: Where the pending pushes as they were when each open savepoint began are kept (a stack).
SAVEPOINTS_KEY = "plateau.realtime.savepoints"
TOPICS = ("phone", "inbox", "crm", "clock")

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """What a session's transaction will push if it commits."""

    #: room → topics, rooms in the order they were first touched.
    changed: dict[str, set[str]] = field(default_factory=dict)
    #: `ring` payloads, one per call offered, each for its attempt's room.
    rings: list[tuple[str, dict]] = field(default_factory=list)
    #: shift id → attempts whose room tile changed (softphone.room.pushes sends them).
    tiles: dict[int, set[int]] = field(default_factory=dict)

    def touch(self, room: str, topic: str) -> None:
        """Note that `room` must hear about `topic`."""
        self.changed.setdefault(room, set()).add(topic)

    def copy(self) -> Pending:
        """An independent copy (what a savepoint restores)."""
        return Pending(
            {r: set(t) for r, t in self.changed.items()},
            list(self.rings),
            {s: set(a) for s, a in self.tiles.items()},
        )


def topic_for(verb: str) -> str:
    """The desk panel an action's verb concerns: phone, inbox or crm."""
    family = verb.split(".", 1)[0]
    if family in ("agent", "call"):
        return "phone"
    if family in ("message", "conversation"):
        return "inbox"
    return "crm"


def attempt_room(attempt_id: int) -> str:
    """The room of one attempt (its candidate's desk)."""
    return f"attempt:{attempt_id}"


def shift_room(shift_id: int) -> str:
    """The room of a shift (trainers watching it)."""
    return f"shift:{shift_id}"


def user_room(user_id: int) -> str:
    """The room of one person, whatever page or attempt."""
    return f"user:{user_id}"


def pending_for(session) -> Pending:
    """The pushes waiting for this session's commit (created on first use)."""
    pending = session.info.get(INFO_KEY)
    if pending is None:
        pending = session.info[INFO_KEY] = Pending()
    return pending


def note_action(action) -> None:
    """`action_recorded` receiver: remember the action's rooms, topic and ring."""
    session = object_session(action) or db.session()
    pending = pending_for(session)
    topic = topic_for(action.verb)
    pending.touch(attempt_room(action.attempt_id), topic)
    if action.shift_id is not None:
        pending.touch(shift_room(action.shift_id), topic)
        pending.tiles.setdefault(action.shift_id, set()).add(action.attempt_id)
    if action.verb == "call.offered":
        payload = action.payload or {}
        ring = {
            "call_id": payload.get("call_id", action.object_id),
            "number": payload.get("number"),
            "client_id": payload.get("client_id"),
        }
        pending.rings.append((attempt_room(action.attempt_id), ring))


def note_shift_status(shift, event: str | None = None, **_) -> None:
    """`shift_status_changed` receiver: the shift's clock started, paused, resumed or ended."""
    session = object_session(shift) or db.session()
    pending = pending_for(session)
    attempt_ids = session.scalars(
        # Ending the shift has just closed its attempts: their desks still hear of it.
        sa.select(Attempt.id).where(Attempt.shift_id == shift.id, Attempt.status != "superseded")
    ).all()
    for attempt_id in attempt_ids:
        pending.touch(attempt_room(attempt_id), "clock")
    pending.touch(shift_room(shift.id), "clock")
    pending.tiles.setdefault(shift.id, set()).update(attempt_ids)


def remember_savepoint(session, transaction) -> None:
    """`after_transaction_create`: a savepoint begins; keep the pushes noted so far."""
    if transaction.nested:
        pending = session.info.get(INFO_KEY)
        session.info.setdefault(SAVEPOINTS_KEY, []).append(pending.copy() if pending else None)


def restore_savepoint(session, previous_transaction) -> None:
    """`after_soft_rollback`: a savepoint was rolled back; the pushes noted before it stay."""
    if not previous_transaction.nested:
        return
    stack = session.info.get(SAVEPOINTS_KEY) or [None]
    before = stack.pop()
    if before is None:
        session.info.pop(INFO_KEY, None)
    else:
        session.info[INFO_KEY] = before


def emit_pending(session) -> None:
    """`after_commit`: send what the committed transaction changed, once per room.

    Releasing a savepoint also reaches here: nothing is sent before the outer commit.
    """
    if session.in_nested_transaction():
        stack = session.info.get(SAVEPOINTS_KEY)
        if stack:
            stack.pop()
        return
    pending: Pending | None = session.info.pop(INFO_KEY, None)
    if pending is None:
        return
    at = clock.now().isoformat(timespec="milliseconds")
    try:
        for room, topics in pending.changed.items():
            ordered = [t for t in TOPICS if t in topics]
            socketio.emit("changed", {"topics": ordered, "at": at}, namespace=NAMESPACE, to=room)
        for room, ring in pending.rings:
            socketio.emit("ring", ring, namespace=NAMESPACE, to=room)
    except Exception:
        # The transaction is committed whatever happens here; a lost push only costs a refetch.
        log.exception("realtime push failed after commit")
    if not pending.tiles:
        return
    try:
        emit_tiles(pending.tiles)
        emit_console_changes(pending.tiles, at)
    except Exception:
        # The transaction is committed whatever happens here; a lost push only costs a refetch.
        log.exception("realtime push failed after commit")


def discard_pending(session, *_) -> None:
    """`after_rollback`: forget uncommitted pushes (a savepoint's: see `restore_savepoint`)."""
    session.info.pop(INFO_KEY, None)


def _discard_unless_nested(session, transaction) -> None:
    """A session closed without commit never rolls back through `after_rollback`: forget too."""
    if transaction.parent is None:
        session.info.pop(INFO_KEY, None)
        session.info.pop(SAVEPOINTS_KEY, None)


#: (event name, listener) on the Flask-SQLAlchemy session class.
_SESSION_EVENTS = (
    ("after_transaction_create", remember_savepoint),
    ("after_commit", emit_pending),
    ("after_rollback", discard_pending),
    # after the rollback's own after_rollback: puts back what preceded a rolled-back savepoint.
    ("after_soft_rollback", restore_savepoint),
    # after_commit runs before the outer transaction ends, so this only drops leftovers.
    ("after_transaction_end", _discard_unless_nested),
)


def connect_receivers() -> None:
    """Subscribe to crm's signals and the session events, once per process."""
    action_recorded.connect(note_action)
    shift_status_changed.connect(note_shift_status)
    for name, listener in _SESSION_EVENTS:
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
