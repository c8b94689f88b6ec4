"""Payment plan status machine: active → completed | broken | cancelled."""

from __future__ import annotations

#: {event: {from_status: to_status}}. Completed when everything is paid, broken when an
#: installment is missed, cancelled when the agreement is withdrawn; the three are final.
PLAN_TRANSITIONS: dict[str, dict[str, str]] = {
    "complete": {"active": "completed"},
    "break": {"active": "broken"},
    "cancel": {"active": "cancelled"},
}

PLAN_STATUSES = ("active", "completed", "broken", "cancelled")
