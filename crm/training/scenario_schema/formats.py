"""Value formats: patterns, the Luhn check and date/date-time specs (phones: `crm.phones`).

Dates in a pack are ISO dates or day offsets (``-45d``) from the day the pack is loaded;
date-times are offsets with a wall-clock time (``+2d 14:30``) or ISO 8601 with a UTC offset.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crm.i18n import lazy as _l

from .problems import _describe, _short

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_SLUG_HINT = _l("des minuscules, des chiffres et des tirets simples, par exemple 'relance-1-email'")
_CODE_HINT = _l("des majuscules, des chiffres et des tirets simples, par exemple 'PAP-A4-80-5'")
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
_DATE_HINT = _l("une date ISO comme 2026-03-01 ou un décalage en jours comme -45d, +7d, 0d")
_DATETIME_HINT = _l(
    "un décalage comme '+2d 14:30' (heure de Paris) ou une date ISO 8601 avec son décalage UTC"
)


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
    """('abs', date) or ('rel', days) for a date spec; ValueError says what is expected.

    The error's argument is a lazy message (a problem's wording): ``str(error)`` words it.
    """
    if isinstance(spec, datetime):
        raise ValueError(_l("attendu une date, pas une date-heure : %(hint)s", hint=_DATE_HINT))
    if isinstance(spec, date):  # YAML reads an unquoted 2026-03-01 as a date
        return "abs", spec
    if not isinstance(spec, str):
        raise ValueError(
            _l("attendu %(hint)s, pas %(value)s", hint=_DATE_HINT, value=_describe(spec))
        )
    text = spec.strip()
    if m := _DATE_OFFSET.fullmatch(text):
        return "rel", int(m.group(1))
    if _ISO_DATE.fullmatch(text):
        try:
            return "abs", date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _l("%(spec)s n'est pas une date du calendrier", spec=repr(spec))
            ) from None
    raise ValueError(
        _l("%(spec)s n'est pas une date : attendu %(hint)s", spec=_short(spec), hint=_DATE_HINT)
    )


def _datetime_parts(spec: object) -> tuple[str, datetime | tuple[int, int]]:
    """('abs', aware datetime) or ('rel', (days, minutes)) for a date-time spec (a ValueError's
    argument is a lazy message, as for ``_date_parts``)."""
    if isinstance(spec, datetime):  # YAML reads an unquoted ISO timestamp as a datetime
        if spec.tzinfo is None or spec.utcoffset() is None:
            raise ValueError(
                _l("la date-heure n'a pas de décalage UTC : ajoutez-en un, par exemple +01:00")
            )
        return "abs", spec
    if not isinstance(spec, str):
        raise ValueError(
            _l("attendu %(hint)s, pas %(value)s", hint=_DATETIME_HINT, value=_describe(spec))
        )
    text = spec.strip()
    if m := _DATETIME_OFFSET.fullmatch(text):
        hours, minutes = int(m.group(2)), int(m.group(3))
        if hours > 23 or minutes > 59:
            raise ValueError(
                _l(
                    "%(spec)s : %(time)s n'est pas une heure de la journée",
                    spec=repr(spec),
                    time=f"{m.group(2)}:{m.group(3)}",
                )
            )
        return "rel", (int(m.group(1)), hours * 60 + minutes)
    if m := _ISO_DATETIME.fullmatch(text):
        if not m.group(1):
            raise ValueError(
                _l(
                    "%(spec)s n'a pas de décalage UTC : écrivez par exemple "
                    "2026-03-02T14:30:00+01:00",
                    spec=repr(spec),
                )
            )
        try:
            return "abs", datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _l("%(spec)s n'est pas une date-heure valide", spec=repr(spec))
            ) from None
    raise ValueError(
        _l(
            "%(spec)s n'est pas une date-heure : attendu %(hint)s",
            spec=_short(spec),
            hint=_DATETIME_HINT,
        )
    )


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
        raise ValueError(_l("%(spec)s tombe hors du calendrier", spec=repr(spec))) from None


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
        raise ValueError(
            _l(
                "impossible de placer %(spec)s dans le fuseau horaire %(tz)s : %(error)s",
                spec=repr(spec),
                tz=repr(tz),
                error=exc,
            )
        ) from None
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)
