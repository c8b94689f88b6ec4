"""The `/room` namespace: trainers and evaluators follow a shift's room, tile by tile."""

from __future__ import annotations

from crm.extensions import socketio
from softphone.realtime.staff import ShiftFollowers
from softphone.room.pushes import NAMESPACE, room_of


class RoomNamespace(ShiftFollowers):
    """Socket.IO handlers of the trainer's room."""

    room_of = staticmethod(room_of)


def register_namespace() -> None:
    """Register the namespace on this app's Socket.IO server (one server per app)."""
    socketio.on_namespace(RoomNamespace(NAMESPACE))
