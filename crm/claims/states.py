"""The claim status machine: {event: {from: to}}, pure (see tests/claims for every transition)."""

from __future__ import annotations

CLAIM_TRANSITIONS: dict[str, dict[str, str]] = {
    "start": {"open": "in_progress"},
    "resolve": {"in_progress": "resolved"},
    "close": {"resolved": "closed"},
    "reject": {"open": "rejected", "in_progress": "rejected"},
    "reopen": {"resolved": "in_progress"},
}

CLAIM_STATUSES = ("open", "in_progress", "resolved", "closed", "rejected")


def allowed_events(status: str) -> list[str]:
    """The events the machine accepts from `status`, in the table's order."""
    return [event for event, moves in CLAIM_TRANSITIONS.items() if status in moves]
