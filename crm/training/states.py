"""The shift status machine: planned → running ⇄ paused → ended."""

from __future__ import annotations

SHIFT_TRANSITIONS: dict[str, dict[str, str]] = {
    # event: {from_status: to_status}
    "start": {"planned": "running"},
    "pause": {"running": "paused"},
    "resume": {"paused": "running"},
    "end": {"planned": "ended", "running": "ended", "paused": "ended"},
}
