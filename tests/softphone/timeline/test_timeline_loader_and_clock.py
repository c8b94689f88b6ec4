"""The loader copies the timeline and desk settings into each attempt; the shift clock pauses."""

from __future__ import annotations

from datetime import timedelta

from crm.db import db
from crm.training.library import load_scenario
from crm.training.services import change_shift_status, reset_attempt
from crm.training.timeline import shift_elapsed


def test_each_attempt_gets_the_timeline_and_the_desk_settings(shift, attempt, other_attempt, tl):
    pack = load_scenario("bureau-direct")
    mine, theirs = tl.events_of(attempt), tl.events_of(other_attempt)
    assert [e.key for e in mine] == [i["key"] for i in pack["timeline"]]
    assert [e.key for e in theirs] == [e.key for e in mine]
    first = mine[0]
    assert (first.kind, first.fire_offset_seconds) == ("call", 90)
    assert first.payload["from"] == "04 65 71 20 50"
    assert first.claimed_at is None and first.fired_at is None and first.result is None
    settings = attempt.settings
    assert settings["channel_deadlines"] == {"email": 1440, "sms": 240, "chat": 2}
    assert settings["calling_rules"]["max_attempts"] == 4
    assert [t["key"] for t in settings["transfer_targets"]][0] == "service-technique"
    assert settings["pause_reasons"] == ["Pause", "Formation", "Réunion", "Administratif"]
    assert settings["hold_limit_seconds"] == 45


def test_the_shift_clock_stops_while_paused(shift, tl):
    T0 = tl.T0
    shift.started_at = T0
    assert shift_elapsed(shift, T0 + timedelta(seconds=100)) == 100
    change_shift_status(shift, "pause", now=T0 + timedelta(seconds=100))
    assert (shift.paused_at, shift.paused_seconds) == (T0 + timedelta(seconds=100), 0)
    assert shift_elapsed(shift, T0 + timedelta(seconds=500)) == 100
    change_shift_status(shift, "resume", now=T0 + timedelta(seconds=400))
    assert (shift.paused_at, shift.paused_seconds) == (None, 300)
    assert shift_elapsed(shift, T0 + timedelta(seconds=450)) == 150
    change_shift_status(shift, "pause", now=T0 + timedelta(seconds=460))
    change_shift_status(shift, "end", now=T0 + timedelta(seconds=560))
    assert (shift.paused_at, shift.paused_seconds) == (None, 400)
    assert shift_elapsed(shift, T0 + timedelta(seconds=9999)) == 160


def test_a_reset_mid_shift_starts_the_new_timeline_from_now(shift, attempt, people, tl):
    shift.started_at = shift.started_at - timedelta(minutes=20)
    db.session.commit()
    new = reset_attempt(attempt, people["trainer"])
    db.session.commit()
    first = tl.events_of(new)[0]
    assert 20 * 60 + 90 <= first.fire_offset_seconds <= 20 * 60 + 95
