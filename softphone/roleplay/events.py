"""The `/roleplay` namespace: role-players follow a shift's customers as candidates act."""

from __future__ import annotations

from crm.extensions import socketio
from softphone.realtime.staff import ShiftFollowers
from softphone.roleplay.pushes import NAMESPACE, console_room


class RolePlayNamespace(ShiftFollowers):
    """Socket.IO handlers of the role-player console."""

    room_of = staticmethod(console_room)


def register_namespace() -> None:
    """Register the namespace on this app's Socket.IO server."""
    socketio.on_namespace(RolePlayNamespace(NAMESPACE))
