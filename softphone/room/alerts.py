"""What the room flags on a candidate's tile: rules over the tile's facts, no query of their own.

Each rule returns an `Alert` (a code for machines, a French message for people — translated
where it is shown) or nothing. The thresholds come from the configuration (`ROOM_*`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from crm.i18n import N_, ngettext, translate

if TYPE_CHECKING:
    from softphone.room.live import Tile


@dataclass(frozen=True)
class Thresholds:
    """When a tile raises an alert (seconds)."""

    #: No action for this long while the shift runs: idle.
    idle_seconds: int
    #: A customer on hold for this long: waiting.
    hold_seconds: int
    #: The phone ringing unanswered for this long: waiting.
    ring_seconds: int


@dataclass(frozen=True)
class Alert:
    """One alert on a tile."""

    code: str
    #: "warn" (attention) or "bad" (act now).
    level: str
    message: str
    #: Since when the condition holds (ISO 8601), when it has a start.
    since: str | None = None
    #: The figures of the message, for screens that word it themselves ({"kind", "n"…}).
    detail: dict | None = None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _seconds(since: str | None, now: datetime) -> float:
    start = _parse(since)
    return (now - start).total_seconds() if start else 0.0


def wrap_up_over(tile: Tile, now: datetime, limits: Thresholds) -> Alert | None:
    """The after-call work has lasted longer than the campaign's maximum."""
    wrap = tile.wrap_up
    if not wrap or not wrap.get("max_seconds") or not wrap.get("started_at"):
        return None
    spent = _seconds(wrap["started_at"], now)
    if spent <= wrap["max_seconds"]:
        return None
    return Alert(
        "wrap_up_over",
        "bad",
        translate(
            N_("Post-appel : %(spent)s s pour %(max)s s au plus"),
            spent=int(spent),
            max=int(wrap["max_seconds"]),
        ),
        wrap["started_at"],
        {"kind": "wrap_up_over", "spent": int(spent), "max": int(wrap["max_seconds"])},
    )


def customer_waiting(tile: Tile, now: datetime, limits: Thresholds) -> Alert | None:
    """A customer waits: on hold too long, a phone ringing unanswered, or a call queued."""
    current = tile.current or {}
    if current.get("kind") == "call" and current.get("on_hold"):
        held = _seconds(current.get("hold_since"), now)
        if held >= limits.hold_seconds:
            return Alert(
                "customer_waiting",
                "bad",
                translate(N_("Client en attente depuis %(n)s s"), n=int(held)),
                current.get("hold_since"),
                {"kind": "hold", "n": int(held)},
            )
    if current.get("kind") == "call" and current.get("status") == "ringing":
        rung = _seconds(current.get("since"), now)
        if rung >= limits.ring_seconds:
            return Alert(
                "customer_waiting",
                "bad",
                translate(N_("Le téléphone sonne depuis %(n)s s"), n=int(rung)),
                current.get("since"),
                {"kind": "ringing", "n": int(rung)},
            )
    if tile.counts.get("queued_calls"):
        return Alert(
            "customer_waiting",
            "bad",
            ngettext(
                "%(n)s appel en file : le poste n'est pas prêt",
                "%(n)s appels en file : le poste n'est pas prêt",
                tile.counts["queued_calls"],
                n=tile.counts["queued_calls"],
            ),
            None,
            {"kind": "queued", "n": tile.counts["queued_calls"]},
        )
    return None


def idle(tile: Tile, now: datetime, limits: Thresholds, shift_status: str) -> Alert | None:
    """No action for `idle_seconds` while the shift runs."""
    if shift_status != "running" or tile.last_action is None:
        return None
    quiet = _seconds(tile.last_action["at"], now)
    if quiet < limits.idle_seconds:
        return None
    return Alert(
        "idle",
        "warn",
        translate(N_("Aucune action depuis %(n)s min"), n=int(quiet // 60)),
        tile.last_action["at"],
        {"kind": "idle", "n": int(quiet // 60)},
    )


def overdue(tile: Tile, now: datetime, limits: Thresholds) -> Alert | None:
    """Messages past their answer deadline."""
    n = tile.counts.get("overdue_messages", 0)
    if not n:
        return None
    return Alert(
        "messages_overdue",
        "warn",
        ngettext("%(n)s message hors délai", "%(n)s messages hors délai", n, n=n),
        None,
        {"kind": "messages_overdue", "n": n},
    )


def alerts_for(tile: Tile, shift_status: str, now: datetime, limits: Thresholds) -> list[dict]:
    """Every alert of a tile, most urgent first."""
    found = [
        wrap_up_over(tile, now, limits),
        customer_waiting(tile, now, limits),
        overdue(tile, now, limits),
        idle(tile, now, limits, shift_status),
    ]
    return [asdict(alert) for alert in found if alert is not None]
