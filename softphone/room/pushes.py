"""The room's pushes: after a commit, the new tiles of the attempts it changed, per shift.

`softphone.realtime.pushes` collects, per committed transaction, which attempts of which shift
acted; here their tiles are computed once (whatever the number of trainers watching) and sent
to the shift's room on the `/room` namespace. The request's session has committed and cannot
read any more, so the tiles are read through a short session of their own. A room nobody
watches costs nothing: in a process without a message queue (it knows every watcher), its tiles
are not computed at all; with a queue, watchers may sit in another process, so they always are.
"""

from __future__ import annotations

from socketio import PubSubManager
from sqlalchemy.orm import Session

from crm import clock
from crm.db import db
from crm.extensions import socketio
from crm.training.models import Shift
from softphone.room.live import live_room

NAMESPACE = "/room"


def room_of(shift_id: int) -> str:
    """The Socket.IO room of the trainers and evaluators watching a shift."""
    return f"room:{shift_id}"


def watched(shift_id: int) -> bool:
    """Someone may be watching the shift's room: surely not only when this process knows every
    connection (no message queue) and none of them joined it."""
    manager = getattr(socketio.server, "manager", None)
    if manager is None or isinstance(manager, PubSubManager):
        return True
    return next(manager.get_participants(NAMESPACE, room_of(shift_id)), None) is not None


def emit_tiles(changed: dict[int, set[int]]) -> None:
    """Send each watched shift's room the new tiles of its changed attempts (`tiles` event)."""
    changed = {shift: ids for shift, ids in changed.items() if watched(shift)}
    if not changed:
        return
    now = clock.now()
    with Session(db.engine) as session:
        for shift_id, attempt_ids in changed.items():
            shift = session.get(Shift, shift_id)
            if shift is None:
                continue
            room = live_room(shift, now, session=session, attempt_ids=attempt_ids)
            payload = {
                "shift": room.shift,
                "now": room.now,
                "items": [tile.to_dict() for tile in room.tiles],
            }
            socketio.emit("tiles", payload, namespace=NAMESPACE, to=room_of(shift_id))
