"""The `/room` namespace: trainers and evaluators follow a shift's room, tile by tile.

Authorisation is checked at connect and again on every event (a role may change, a session may
end): only trainers and evaluators connect, and `join` names a shift that exists. Handlers read
the session copied at connect and never write it (see `softphone.realtime.events`).
"""

from __future__ import annotations

from flask_socketio import Namespace, emit, join_room, leave_room

from crm.auth.models import Role
from crm.db import db
from crm.extensions import socketio
from crm.training.models import Shift
from softphone.realtime.events import connected_user, origin_ok
from softphone.room.pushes import NAMESPACE, room_of

#: Who may watch a room.
WATCHERS = (Role.TRAINER, Role.EVALUATOR)


def may_watch(user) -> bool:
    """The connected person is (still) a logged-in trainer or evaluator."""
    return user.is_authenticated and user.role in WATCHERS


def _refuse(message: str, code: str) -> dict:
    """Tell the client why its event was refused (an `error` event and the ack)."""
    answer = {"ok": False, "code": code, "message": message}
    emit("error", answer)
    return answer


def _shift_id(data) -> int | None:
    value = data.get("shift_id") if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


class RoomNamespace(Namespace):
    """Socket.IO handlers of the trainer's room."""

    def on_connect(self, auth=None):
        """Accept trainers and evaluators only."""
        if not origin_ok():
            raise ConnectionRefusedError("origin")
        user = connected_user()
        if not user.is_authenticated:
            raise ConnectionRefusedError("login")
        if not may_watch(user):
            raise ConnectionRefusedError("role")
        return True

    def on_join(self, data=None):
        """Follow a shift's room (role and shift checked again)."""
        if not may_watch(connected_user()):
            return _refuse("Réservé aux formateurs et évaluateurs.", "forbidden")
        shift_id = _shift_id(data)
        if shift_id is None:
            return _refuse("Indiquez la séance (shift_id entier).", "invalid")
        if db.session.get(Shift, shift_id) is None:
            return _refuse("Séance introuvable.", "not_found")
        join_room(room_of(shift_id))
        return {"ok": True, "room": room_of(shift_id)}

    def on_leave(self, data=None):
        """Stop following a shift's room."""
        if not may_watch(connected_user()):
            return _refuse("Réservé aux formateurs et évaluateurs.", "forbidden")
        shift_id = _shift_id(data)
        if shift_id is None:
            return _refuse("Indiquez la séance (shift_id entier).", "invalid")
        leave_room(room_of(shift_id))
        return {"ok": True}


def register_namespace() -> None:
    """Register the namespace on this app's Socket.IO server (one server per app)."""
    socketio.on_namespace(RoomNamespace(NAMESPACE))
