"""Status machines of dunning: payment plans, promises to pay and installments."""

from __future__ import annotations

#: {event: {from_status: to_status}}. Completed when everything is paid, broken when an
#: installment is missed, cancelled when the agreement is withdrawn; the three are final.
PLAN_TRANSITIONS: dict[str, dict[str, str]] = {
    "complete": {"active": "completed"},
    "break": {"active": "broken"},
    "cancel": {"active": "cancelled"},
}

PLAN_STATUSES = ("active", "completed", "broken", "cancelled")

#: A promise to pay is decided once its date has passed: kept (paid in time) or broken.
PROMISE_TRANSITIONS: dict[str, dict[str, str]] = {
    "keep": {"pending": "kept"},
    "break": {"pending": "broken"},
}
PROMISE_STATUSES = ("pending", "kept", "broken")

#: An installment is decided once its date has passed: paid (covered in time) or missed.
INSTALLMENT_TRANSITIONS: dict[str, dict[str, str]] = {
    "pay": {"due": "paid"},
    "miss": {"due": "missed"},
}
INSTALLMENT_STATUSES = ("due", "paid", "missed")
