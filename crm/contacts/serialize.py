"""Contacts, callbacks, sales reps' calendars and appointments as the JSON API shows them."""

from __future__ import annotations

from datetime import datetime

from crm import clock
from crm.contacts.agenda import PARIS
from crm.contacts.callbacks import callback_state, source_of
from crm.contacts.models import Appointment, Callback, Contact


def _iso(value):
    return value.isoformat() if value else None


def _paris(value):
    return value.astimezone(PARIS).isoformat() if value else None


def contact_dict(contact: Contact) -> dict:
    """Public fields of a contact."""
    return {
        "id": contact.id,
        "client_id": contact.client_id,
        "channel": contact.channel,
        "direction": contact.direction,
        "subject": contact.subject,
        "party": contact.party,
        "started_at": _iso(contact.started_at),
        "qualified_at": _iso(contact.qualified_at),
        "code": contact.code,
        "note": contact.note,
        "open": contact.qualified_at is None,
        "historical": contact.historical,
    }


def callback_dict(callback: Callback, now: datetime | None = None) -> dict:
    """Public fields of a callback (times in Paris time), with its state on the list
    (upcoming, due, overdue, done), its client and its source (a contact, or by hand)."""
    client = callback.client
    return {
        "id": callback.id,
        "client_id": callback.client_id,
        "contact_id": callback.contact_id,
        "due_at": _paris(callback.due_at),
        "reason": callback.reason,
        "status": callback.status,
        "state": callback_state(callback.status, callback.due_at, now or clock.now()),
        "client": {
            "name": client.display_name,
            "number": client.number,
            "phones": [p.e164 for p in client.phones],
        },
        "source": source_of(callback),
    }


def calendar_dict(cal) -> dict:
    """A sales rep with their working hours and free slots (`booking.rep_calendars`)."""
    return {
        "id": cal.rep.id,
        "key": cal.rep.key,
        "name": cal.rep.name,
        "region": cal.rep.region,
        "slot_minutes": cal.rep.slot_minutes,
        "working_hours": cal.rep.working_hours,
        "free_slots": [
            {"starts_at": _paris(s.starts_at), "ends_at": _paris(s.ends_at)} for s in cal.slots
        ],
    }


def appointment_dict(appointment: Appointment) -> dict:
    """An appointment booked with a sales rep, times in Paris time."""
    return {
        "id": appointment.id,
        "client_id": appointment.client_id,
        "with": {
            "id": appointment.rep.id,
            "key": appointment.rep.key,
            "name": appointment.rep.name,
        },
        "starts_at": _paris(appointment.starts_at),
        "ends_at": _paris(appointment.ends_at),
        "topic": appointment.topic,
        "status": appointment.status,
        "contact_id": appointment.contact_id,
    }
