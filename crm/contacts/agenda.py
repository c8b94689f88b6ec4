"""Calendar rules, pure: legal calling windows, a sales rep's working hours and free slots.

Times are stored in UTC; every rule here is stated in Paris time, where the client lives.
Texts are French source text (also used by `softphone`), translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from crm.i18n import N_, translate

PARIS = ZoneInfo("Europe/Paris")

#: When a consumer (B2C) may be called: Monday to Friday, 10:00–13:00 and 14:00–20:00
#: (French rules on telephone canvassing, decree of 2022, in force since 1 March 2023).
B2C_CALL_WINDOWS = ((time(10, 0), time(13, 0)), (time(14, 0), time(20, 0)))
B2C_CALL_DAYS = range(0, 5)
WINDOWS_TEXT = N_("du lundi au vendredi, de 10 h à 13 h et de 14 h à 20 h (heure de Paris)")
WEEKDAYS = (
    N_("lundi"),
    N_("mardi"),
    N_("mercredi"),
    N_("jeudi"),
    N_("vendredi"),
    N_("samedi"),
    N_("dimanche"),
)
WORKING_DAYS_AHEAD = 10


@dataclass(frozen=True)
class Slot:
    """A free slot in a sales rep's calendar (aware datetimes)."""

    starts_at: datetime
    ends_at: datetime


def in_b2c_call_window(moment: datetime) -> bool:
    """Whether a consumer may be called at this moment (start inside a window)."""
    local = moment.astimezone(PARIS)
    if local.weekday() not in B2C_CALL_DAYS:
        return False
    clock = local.time().replace(tzinfo=None)
    return any(start <= clock < end for start, end in B2C_CALL_WINDOWS)


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def hours_text(working_hours: list[dict]) -> str:
    """« lundi 09:00–12:00, mardi 14:00–18:00 » for a message (days in the screen's language)."""
    entries = sorted(working_hours, key=lambda h: (h["weekday"], h["start"]))
    return ", ".join(
        f"{translate(WEEKDAYS[h['weekday']])} {h['start']}–{h['end']}" for h in entries
    )


def within_working_hours(working_hours: list[dict], starts_at: datetime, minutes: int) -> bool:
    """Whether [starts_at, +minutes) fits inside one working period of that weekday."""
    start = starts_at.astimezone(PARIS)
    end = start + timedelta(minutes=minutes)
    if end.date() != start.date():
        return False
    for period in working_hours:
        if period["weekday"] != start.weekday():
            continue
        opens, closes = _hhmm(period["start"]), _hhmm(period["end"])
        if opens <= start.time().replace(tzinfo=None) and end.time().replace(tzinfo=None) <= closes:
            return True
    return False


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open periods share a moment."""
    return a_start < b_end and b_start < a_end


def free_slots(
    working_hours: list[dict],
    slot_minutes: int,
    busy: list[tuple[datetime, datetime]],
    now: datetime,
    days: int = WORKING_DAYS_AHEAD,
) -> list[Slot]:
    """Slots of `slot_minutes` in the next `days` working days (Mon–Fri) not overlapping `busy`."""
    slots: list[Slot] = []
    day = now.astimezone(PARIS).date()
    counted = 0
    step = timedelta(minutes=slot_minutes)
    while counted < days:
        if day.weekday() < 5:
            counted += 1
            for period in sorted(working_hours, key=lambda h: h["start"]):
                if period["weekday"] != day.weekday():
                    continue
                start = datetime.combine(day, _hhmm(period["start"]), PARIS)
                closes = datetime.combine(day, _hhmm(period["end"]), PARIS)
                while start + step <= closes:
                    end = start + step
                    if start > now and not any(overlaps(start, end, b, e) for b, e in busy):
                        slots.append(Slot(start, end))
                    start = end
        day += timedelta(days=1)
    return slots
