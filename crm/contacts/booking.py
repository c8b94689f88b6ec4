"""Agenda services: callbacks promised to clients and appointments in sales reps' calendars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.clients.models import Client
from crm.contacts.agenda import (
    PARIS,
    WINDOWS_TEXT,
    Slot,
    free_slots,
    hours_text,
    in_b2c_call_window,
    within_working_hours,
)
from crm.contacts.models import Appointment, Callback, SalesRep
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _, translate


@dataclass
class RepCalendar:
    """A sales rep with the free slots of the coming working days."""

    rep: SalesRep
    slots: list[Slot]


def _contact_id(ctx: Ctx) -> int | None:
    """The open contact during which this is booked, if any."""
    return ctx.interaction[1] if ctx.interaction and ctx.interaction[0] == "contact" else None


def schedule_callback(ctx: Ctx, client: Client, due_at: datetime, reason: str) -> Callback:
    """Promise a call back at `due_at` (future; legal windows for consumers)."""
    reason = (reason or "").strip()
    errors = {}
    if due_at <= clock.now():
        errors["due_at"] = _("Le rappel doit être programmé dans le futur.")
    elif client.segment == "b2c" and not in_b2c_call_window(due_at):
        errors["due_at"] = _(
            "Un particulier ne peut être appelé que %(windows)s.", windows=translate(WINDOWS_TEXT)
        )
    elif client.call_blocked_until and due_at.astimezone(PARIS).date() <= client.call_blocked_until:
        errors["due_at"] = _(
            "Numéro bloqué jusqu'au %(date)s : aucun appel avant cette date.",
            date=f"{client.call_blocked_until:%d/%m/%Y}",
        )
    if not reason:
        errors["reason"] = _("Indiquez le motif du rappel.")
    elif len(reason) > 300:
        errors["reason"] = _("%(n)s caractères au plus.", n=300)
    if errors:
        raise ValidationFailed(errors)
    contact_id = _contact_id(ctx)
    callback = Callback(
        attempt_id=ctx.attempt.id,
        client_id=client.id,
        contact_id=contact_id,
        due_at=due_at,
        reason=reason,
        created_at=clock.now(),
    )
    db.session.add(callback)
    db.session.flush()
    record(
        ctx,
        "callback.scheduled",
        callback,
        {"client_id": client.id, "due_at": due_at, "reason": reason, "contact_id": contact_id},
    )
    return callback


def _busy(rep: SalesRep) -> list[tuple[datetime, datetime]]:
    """The rep's booked periods."""
    rows = db.session.execute(
        sa.select(Appointment.starts_at, Appointment.ends_at).where(
            Appointment.attempt_id == rep.attempt_id,
            Appointment.rep_id == rep.id,
            Appointment.status == "booked",
        )
    )
    return [(start, end) for start, end in rows]


def find_rep(ctx: Ctx, value: int | str | None) -> SalesRep | None:
    """The attempt's sales rep named by its id (an int) or its key (a string); None otherwise."""
    query = sa.select(SalesRep).where(SalesRep.attempt_id == ctx.attempt.id)
    if isinstance(value, int) and not isinstance(value, bool):
        return db.session.scalar(query.where(SalesRep.id == value))
    if isinstance(value, str) and value.strip():
        return db.session.scalar(query.where(SalesRep.key == value.strip()))
    return None


def rep_calendars(ctx: Ctx) -> list[RepCalendar]:
    """The attempt's sales reps with their free slots for the next working days (read-only)."""
    reps = db.session.scalars(
        sa.select(SalesRep).where(SalesRep.attempt_id == ctx.attempt.id).order_by(SalesRep.name)
    ).all()
    now = clock.now()
    return [
        RepCalendar(rep, free_slots(rep.working_hours or [], rep.slot_minutes, _busy(rep), now))
        for rep in reps
    ]


def book_appointment(
    ctx: Ctx, client: Client, rep: SalesRep, starts_at: datetime, topic: str
) -> Appointment:
    """Book a slot in a rep's calendar: future, in working hours, not overlapping (409)."""
    topic = (topic or "").strip()
    ends_at = starts_at + timedelta(minutes=rep.slot_minutes)
    errors = {}
    if starts_at <= clock.now():
        errors["starts_at"] = _("Le rendez-vous doit être dans le futur.")
    elif not within_working_hours(rep.working_hours or [], starts_at, rep.slot_minutes):
        errors["starts_at"] = _(
            "En dehors des heures de %(rep)s (%(minutes)s min) : %(hours)s (heure de Paris).",
            rep=rep.name,
            minutes=rep.slot_minutes,
            hours=hours_text(rep.working_hours or []) or _("aucune plage"),
        )
    if not topic:
        errors["topic"] = _("Indiquez l'objet du rendez-vous.")
    elif len(topic) > 300:
        errors["topic"] = _("%(n)s caractères au plus.", n=300)
    if errors:
        raise ValidationFailed(errors)
    for start, end in _busy(rep):
        if start < ends_at and starts_at < end:
            raise Conflict(
                _("Ce créneau de %(rep)s est déjà pris.", rep=rep.name),
                code="slot_taken",
                details={"rep": rep.key, "starts_at": starts_at.isoformat()},
            )
    contact_id = _contact_id(ctx)
    appointment = Appointment(
        attempt_id=ctx.attempt.id,
        rep_id=rep.id,
        client_id=client.id,
        contact_id=contact_id,
        starts_at=starts_at,
        ends_at=ends_at,
        topic=topic,
    )
    db.session.add(appointment)
    db.session.flush()
    record(
        ctx,
        "appointment.booked",
        appointment,
        {
            "client_id": client.id,
            "rep_id": rep.id,
            "rep": rep.key,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "topic": topic,
            "contact_id": contact_id,
        },
    )
    return appointment
