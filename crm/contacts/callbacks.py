"""Callbacks promised to clients: their state on the desk's list and their completion.

A callback is *due* from a few minutes before its time until a grace period after it, then
*overdue*; it is *done* when an outbound call is made to its client (from the list, or by
dialling the client's number), recorded as `callback.done` with whether it was kept on time:
the evidence of « rappel tenu ».
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.contacts.models import Callback, Contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed, next_status
from crm.i18n import _, _l

#: {event: {from: to}}: a pending callback is done by a call, or cancelled; both final.
CALLBACK_TRANSITIONS: dict[str, dict[str, str]] = {
    "complete": {"pending": "done"},
    "cancel": {"pending": "cancelled"},
}
CALLBACK_STATUSES = ("pending", "done", "cancelled")
#: A callback may be made this early and still count as kept…
EARLY = timedelta(minutes=5)
#: …and this late; past that it is overdue.
LATE = timedelta(minutes=15)


def callback_state(status: str, due_at: datetime, now: datetime) -> str:
    """upcoming, due, overdue (pending ones by the time), or the final status itself."""
    if status != "pending":
        return status
    if now < due_at - EARLY:
        return "upcoming"
    if now <= due_at + LATE:
        return "due"
    return "overdue"


#: A callback's state (`callback_state`) as the desk's list and the client file both say it.
STATE_LABELS = {
    "upcoming": _l("à venir"),
    "due": _l("à faire maintenant"),
    "overdue": _l("en retard"),
    "done": _l("fait"),
    "cancelled": _l("annulé"),
}
#: The badge colour of each state.
STATE_BADGES = {"upcoming": "info", "due": "warn", "overdue": "bad", "done": "ok", "cancelled": ""}


def state_of(callback: Callback, now: datetime) -> str:
    """The callback's state now (`callback_state` of its row)."""
    return callback_state(callback.status, callback.due_at, now)


def kept_on_time(due_at: datetime, made_at: datetime) -> bool:
    """Whether a call made at `made_at` keeps a callback promised for `due_at`."""
    return due_at - EARLY <= made_at <= due_at + LATE


def source_of(callback: Callback) -> dict:
    """Where the callback comes from: a contact's qualification (its code), or set by hand."""
    if callback.contact_id is None:
        return {"kind": "manual"}
    contact = db.session.get(Contact, callback.contact_id)
    return {"kind": "contact", "contact_id": callback.contact_id, "code": contact.code}


def check_callback_dial(callback: Callback, client_numbers: list[str], number: str) -> None:
    """A callback dialled from the list: still pending, and the number is its client's."""
    if callback.status != "pending":
        raise Conflict(_("Ce rappel est déjà traité."), code="callback_done")
    if number not in client_numbers:
        raise ValidationFailed({"number": _("Ce numéro n'est pas celui du client à rappeler.")})


#: Every call to a client asks: built once (crm/db.py: hot statements).
_EARLIEST_PENDING = (
    sa.select(Callback)
    .where(
        Callback.attempt_id == sa.bindparam("attempt_id"),
        Callback.client_id == sa.bindparam("client_id"),
        Callback.status == "pending",
    )
    .order_by(Callback.due_at, Callback.id)
    .limit(1)
)


def earliest_pending(attempt_id: int, client_id: int) -> Callback | None:
    """The client's pending callback due first, if any."""
    return db.session.scalar(_EARLIEST_PENDING, {"attempt_id": attempt_id, "client_id": client_id})


def complete_callback(ctx: Ctx, callback: Callback, call_id: int, made_at: datetime) -> None:
    """The call to the client is made: the callback is done, kept on time or not."""
    old = callback.status
    callback.status = next_status(CALLBACK_TRANSITIONS, "callback", old, "complete")
    db.session.flush()
    record(
        ctx,
        "callback.done",
        callback,
        {
            "client_id": callback.client_id,
            "call_id": call_id,
            "due_at": callback.due_at,
            "made_at": made_at,
            "delay_seconds": round((made_at - callback.due_at).total_seconds(), 3),
            "kept": kept_on_time(callback.due_at, made_at),
            "source": source_of(callback),
            "status": {"old": old, "new": callback.status},
        },
    )
