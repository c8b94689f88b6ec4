"""The console's pushes: after a commit, which attempts of a shift changed (`/roleplay`).

The console refetches what it shows (the waiting list, the customer it plays) on `changed`:
the candidate's turns and replies reach the role-player within the commit's push.
"""

from __future__ import annotations

from crm.extensions import socketio

NAMESPACE = "/roleplay"


def console_room(shift_id: int) -> str:
    """The Socket.IO room of the role-players of a shift."""
    return f"roleplay:{shift_id}"


def emit_changed(changed: dict[int, set[int]], at: str) -> None:
    """Tell each shift's role-players which attempts changed."""
    for shift_id, attempt_ids in changed.items():
        socketio.emit(
            "changed",
            {"attempts": sorted(attempt_ids), "at": at},
            namespace=NAMESPACE,
            to=console_room(shift_id),
        )
