"""The `/roleplay` namespace: role-players follow a shift's customers as candidates act.

As the room's: trainers and evaluators only, checked at connect and again on every event;
`join` names a shift that exists. Handlers never write the session.
"""

from __future__ import annotations

from flask_socketio import Namespace, emit, join_room

from crm.db import db
from crm.extensions import socketio
from crm.training.models import Shift
from softphone.realtime.events import connected_user, origin_ok
from softphone.roleplay.pushes import NAMESPACE, console_room
from softphone.room.events import may_watch


def _refuse(message: str, code: str) -> dict:
    answer = {"ok": False, "code": code, "message": message}
    emit("error", answer)
    return answer


class RolePlayNamespace(Namespace):
    """Socket.IO handlers of the role-player console."""

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
        """Follow a shift's customers (role and shift checked again)."""
        if not may_watch(connected_user()):
            return _refuse("Réservé aux formateurs et évaluateurs.", "forbidden")
        value = data.get("shift_id") if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int):
            return _refuse("Indiquez la séance (shift_id entier).", "invalid")
        if db.session.get(Shift, value) is None:
            return _refuse("Séance introuvable.", "not_found")
        join_room(console_room(value))
        return {"ok": True, "room": console_room(value)}


def register_namespace() -> None:
    """Register the namespace on this app's Socket.IO server."""
    socketio.on_namespace(RolePlayNamespace(NAMESPACE))
