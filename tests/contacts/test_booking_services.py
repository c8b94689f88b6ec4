"""Callbacks (future, legal windows for consumers) and appointments (hours, overlaps)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.contacts.booking import book_appointment, find_rep, rep_calendars, schedule_callback
from crm.contacts.models import Appointment, Callback
from crm.db import db
from crm.errors import Conflict, ValidationFailed

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world


def test_schedule_a_callback_for_a_consumer_in_a_window(ctx, world, log, when):
    due = when(11, 30)
    callback = schedule_callback(ctx, world["consumer"], due, "  Devis à confirmer ")
    assert callback.reason == "Devis à confirmer" and callback.contact_id is None
    (action,) = log.new()
    assert action.verb == "callback.scheduled"
    assert action.payload["client_id"] == world["consumer"].id
    assert action.payload["reason"] == "Devis à confirmer"


@pytest.mark.parametrize(
    ("hour", "minute", "weekday"),
    [(8, 0, None), (13, 30, None), (20, 0, None), (11, 0, 5), (11, 0, 6)],
)
def test_consumer_callbacks_outside_windows_are_refused(
    ctx, world, log, when, hour, minute, weekday
):
    with pytest.raises(ValidationFailed) as refused:
        schedule_callback(ctx, world["consumer"], when(hour, minute, weekday=weekday), "Rappel")
    assert "lundi au vendredi" in refused.value.fields["due_at"]
    assert log.verbs() == []
    assert db.session.scalar(sa.select(sa.func.count(Callback.id))) == 0


def test_companies_may_be_called_back_outside_consumer_windows(ctx, world, log, when):
    schedule_callback(ctx, world["company"], when(8, 30), "Avant l'ouverture du magasin")
    assert log.verbs() == ["callback.scheduled"]


@pytest.mark.parametrize("field", ["due_at", "reason"])
def test_callback_in_the_past_or_without_reason(ctx, world, log, field):
    due = (
        clock.now() - timedelta(minutes=1) if field == "due_at" else clock.now() + timedelta(days=1)
    )
    with pytest.raises(ValidationFailed) as refused:
        schedule_callback(ctx, world["company"], due, "Rappel" if field == "due_at" else "  ")
    assert field in refused.value.fields and log.verbs() == []


def test_a_blocked_number_cannot_be_called_back_before_the_date(ctx, world, log, when):
    due = when(11)
    world["company"].call_blocked_until = due.date() + timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        schedule_callback(ctx, world["company"], due, "Rappel")
    assert "bloqué" in refused.value.fields["due_at"] and log.verbs() == []


def test_book_an_appointment(ctx, world, log, when):
    start = when(10)
    appointment = book_appointment(ctx, world["company"], world["rep"], start, " Démo mobilier ")
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=60)
    assert appointment.topic == "Démo mobilier"
    (action,) = log.new()
    assert action.verb == "appointment.booked"
    assert (
        action.payload["rep"] == "rep-test" and action.payload["client_id"] == world["company"].id
    )


def test_an_overlapping_appointment_is_a_conflict(ctx, world, log, when):
    book_appointment(ctx, world["company"], world["rep"], when(10), "Premier")
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as refused:
        book_appointment(ctx, world["consumer"], world["rep"], when(10, 30), "Second")
    assert refused.value.code == "slot_taken" and log.verbs() == []
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Appointment.id)).where(Appointment.rep_id == world["rep"].id)
        )
        == 1
    )


@pytest.mark.parametrize(
    ("hour", "minute", "weekday", "field"),
    [
        (8, 0, None, "starts_at"),
        (11, 30, None, "starts_at"),
        (14, 0, None, "starts_at"),
        (10, 0, 5, "starts_at"),
    ],
)
def test_appointments_outside_working_hours_are_refused(
    ctx, world, log, when, hour, minute, weekday, field
):
    with pytest.raises(ValidationFailed) as refused:
        book_appointment(
            ctx, world["company"], world["rep"], when(hour, minute, weekday=weekday), "RDV"
        )
    assert "lundi 09:00–12:00" in refused.value.fields[field]
    assert log.verbs() == []


def test_appointments_in_the_past_or_without_topic(ctx, world, log):
    past = clock.now() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        book_appointment(ctx, world["company"], world["rep"], past, "")
    assert set(refused.value.fields) == {"starts_at", "topic"} and log.verbs() == []


def test_calendars_offer_free_slots_without_the_booked_one(ctx, world, when):
    start = when(10)
    calendar = next(c for c in rep_calendars(ctx) if c.rep.key == "rep-test")
    assert start in [s.starts_at for s in calendar.slots]
    book_appointment(ctx, world["company"], world["rep"], start, "Démo")
    calendar = next(c for c in rep_calendars(ctx) if c.rep.key == "rep-test")
    assert start not in [s.starts_at for s in calendar.slots]
    assert all(s.starts_at > clock.now() for s in calendar.slots)


def test_find_rep_by_id_or_key_within_the_attempt(ctx, world):
    rep = world["rep"]
    assert find_rep(ctx, rep.id) is rep
    assert find_rep(ctx, " rep-test ") is rep
    for unknown in ("rep-nobody", "", "  ", None, True, rep.id + 1000):
        assert find_rep(ctx, unknown) is None


def test_find_rep_ignores_another_attempts_reps(ctx, world, other_attempt):
    from dataclasses import replace

    other = replace(ctx, attempt=other_attempt)
    assert find_rep(other, "rep-test") is None and find_rep(other, world["rep"].id) is None
