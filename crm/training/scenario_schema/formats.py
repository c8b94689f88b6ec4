"""Value formats: patterns, the Luhn check and date/date-time specs (phones: `crm.phones`).

Dates in a pack are ISO dates or day offsets (``-45d``) from the day the pack is loaded;
date-times are offsets with a wall-clock time (``+2d 14:30``) or ISO 8601 with a UTC offset.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .problems import _describe, _short

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_SLUG_HINT = "lowercase letters, digits and single hyphens, e.g. 'relance-1-email'"
_CODE_HINT = "uppercase letters, digits and single hyphens, e.g. 'PAP-A4-80-5'"
_MONEY = re.compile(r"-?\d{1,9}\.\d{2}")
_DATE_OFFSET = re.compile(r"([+-]\d{1,5}|0)d")
_DATETIME_OFFSET = re.compile(r"([+-]\d{1,5}|0)d (\d{2}):(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)
_HHMM = re.compile(r"(\d{2}):(\d{2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_WEBSITE = re.compile(r"(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?")
_FILENAME = re.compile(r"[\w-][\w.-]*\.\w+")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_DATE_HINT = "an ISO date like 2026-03-01 or a day offset like -45d, +7d, 0d"
_DATETIME_HINT = "an offset like '+2d 14:30' (Europe/Paris time) or ISO 8601 with a UTC offset"


def luhn_ok(number: str) -> bool:
    """True when the digits of ``number`` (spaces and hyphens ignored) pass the Luhn check."""
    if not isinstance(number, str):
        return False
    digits = re.sub(r"[\s-]", "", number)
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _date_parts(spec: object) -> tuple[str, date | int]:
    """('abs', date) or ('rel', days) for a date spec; ValueError says what is expected."""
    if isinstance(spec, datetime):
        raise ValueError(f"expected a date, not a date-time: {_DATE_HINT}")
    if isinstance(spec, date):  # YAML reads an unquoted 2026-03-01 as a date
        return "abs", spec
    if not isinstance(spec, str):
        raise ValueError(f"expected {_DATE_HINT}, got {_describe(spec)}")
    text = spec.strip()
    if m := _DATE_OFFSET.fullmatch(text):
        return "rel", int(m.group(1))
    if _ISO_DATE.fullmatch(text):
        try:
            return "abs", date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{spec!r} is not a calendar date") from None
    raise ValueError(f"{_short(spec)} is not a date: expected {_DATE_HINT}")


def _datetime_parts(spec: object) -> tuple[str, datetime | tuple[int, int]]:
    """('abs', aware datetime) or ('rel', (days, minutes)) for a date-time spec."""
    if isinstance(spec, datetime):  # YAML reads an unquoted ISO timestamp as a datetime
        if spec.tzinfo is None or spec.utcoffset() is None:
            raise ValueError("the date-time has no UTC offset: add one, e.g. +01:00")
        return "abs", spec
    if not isinstance(spec, str):
        raise ValueError(f"expected {_DATETIME_HINT}, got {_describe(spec)}")
    text = spec.strip()
    if m := _DATETIME_OFFSET.fullmatch(text):
        hours, minutes = int(m.group(2)), int(m.group(3))
        if hours > 23 or minutes > 59:
            raise ValueError(f"{spec!r}: {m.group(2)}:{m.group(3)} is not a time of day")
        return "rel", (int(m.group(1)), hours * 60 + minutes)
    if m := _ISO_DATETIME.fullmatch(text):
        if not m.group(1):
            raise ValueError(f"{spec!r} has no UTC offset: write e.g. 2026-03-02T14:30:00+01:00")
        try:
            return "abs", datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{spec!r} is not a valid date-time") from None
    raise ValueError(f"{_short(spec)} is not a date-time: expected {_DATETIME_HINT}")


def parse_date_spec(spec: object, today: date) -> date:
    """The date a spec (``"-45d"``, ``"0d"``, ``"2026-03-01"`` or a date) means on ``today``.

    Raises ValueError when the spec is not a date spec.
    """
    kind, value = _date_parts(spec)
    if kind == "abs":
        return value
    try:
        return today + timedelta(days=value)
    except OverflowError:
        raise ValueError(f"{spec!r} falls outside the calendar") from None


def parse_datetime_spec(spec: object, today: date, tz: str = "Europe/Paris") -> datetime:
    """The UTC instant a date-time spec (``"+2d 14:30"`` in ``tz``, or ISO 8601) means on ``today``.

    Offsets are wall-clock times in ``tz`` (daylight saving applies); the result is aware, in UTC.
    Raises ValueError when the spec is not a date-time spec or ``tz`` is unknown.
    """
    kind, value = _datetime_parts(spec)
    if kind == "abs":
        return value.astimezone(UTC)
    days, minutes = value
    try:
        zone = ZoneInfo(tz)
        day = today + timedelta(days=days)
    except (ZoneInfoNotFoundError, ValueError, OverflowError) as exc:
        raise ValueError(f"cannot place {spec!r} in time zone {tz!r}: {exc}") from None
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)
