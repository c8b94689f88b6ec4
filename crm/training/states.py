"""The shift status machine: planned → running ⇄ paused → ended."""

from __future__ import annotations

SHIFT_TRANSITIONS: dict[str, dict[str, str]] = {
    # event: {from_status: to_status}
    "start": {"planned": "running"},
    "pause": {"running": "paused"},
    "resume": {"paused": "running"},
    "end": {"planned": "ended", "running": "ended", "paused": "ended"},
}

#: The attempt status machine: an active attempt is superseded by a reset, or closed when its
#: shift ends. Neither is undone: a candidate's next attempt is a new row.
ATTEMPT_TRANSITIONS: dict[str, dict[str, str]] = {
    "reset": {"active": "superseded"},
    "close": {"active": "closed"},
}
ATTEMPT_STATUSES = ("active", "superseded", "closed")
