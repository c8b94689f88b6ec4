"""Pure calendar rules: consumer calling windows, working hours, free slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from crm.contacts.agenda import free_slots, hours_text, in_b2c_call_window, within_working_hours

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 3, 2, tzinfo=PARIS)  # a Monday in winter time (UTC+1)
HOURS = [
    {"weekday": 0, "start": "09:00", "end": "12:00"},
    {"weekday": 0, "start": "14:00", "end": "16:00"},
    {"weekday": 2, "start": "09:00", "end": "10:00"},
]


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    return (MONDAY + timedelta(days=day_offset)).replace(hour=hour, minute=minute)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(0, 9, 59), False),
        (at(0, 10, 0), True),
        (at(0, 12, 59), True),
        (at(0, 13, 0), False),
        (at(0, 13, 59), False),
        (at(0, 14, 0), True),
        (at(4, 19, 59), True),
        (at(4, 20, 0), False),
        (at(5, 11, 0), False),  # Saturday
        (at(6, 11, 0), False),  # Sunday
    ],
)
def test_consumer_calling_windows(moment, allowed):
    assert in_b2c_call_window(moment) is allowed


def test_windows_are_read_in_paris_time_whatever_the_offset_given():
    # 09:30 UTC on a winter Monday is 10:30 in Paris: allowed.
    assert in_b2c_call_window(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
    # 19:30 UTC is 20:30 in Paris: too late.
    assert not in_b2c_call_window(datetime(2026, 3, 2, 19, 30, tzinfo=UTC))


@pytest.mark.parametrize(
    ("start", "minutes", "fits"),
    [
        (at(0, 9, 0), 60, True),
        (at(0, 11, 0), 60, True),
        (at(0, 11, 30), 60, False),  # ends after noon
        (at(0, 12, 30), 60, False),  # lunch
        (at(0, 14, 0), 120, True),
        (at(1, 9, 0), 60, False),  # no hours on Tuesday
        (at(2, 9, 0), 60, True),
        (at(0, 8, 0), 60, False),
    ],
)
def test_within_working_hours(start, minutes, fits):
    assert within_working_hours(HOURS, start, minutes) is fits


def test_free_slots_skip_busy_periods_the_past_and_weekends():
    now = at(0, 9, 30)
    busy = [(at(0, 10, 0), at(0, 11, 0))]
    slots = free_slots(HOURS, 60, busy, now, days=6)
    starts = [s.starts_at for s in slots]
    # Monday: 09:00 is past, 10:00 busy; 11:00, 14:00, 15:00 free. Wednesday 09:00.
    assert starts[:4] == [at(0, 11), at(0, 14), at(0, 15), at(2, 9)]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=60) for s in slots)
    # 6 working days from Monday: Mon..Fri then next Monday; weekends skipped.
    assert starts[-1] == at(7, 15)
    assert all(s.starts_at.weekday() < 5 for s in slots)


def test_hours_text_is_french():
    assert hours_text(HOURS[:1]) == "lundi 09:00–12:00"
