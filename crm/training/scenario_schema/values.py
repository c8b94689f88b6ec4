"""Scalar value checks: text, choices, numbers, money, dates, times, emails and phones.

Each check reads one key of a mapping, reports what is wrong with it, and returns the checked
value, or None when it is absent or wrong, so callers carry on and report every problem at once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm.phones import normalize_phone

from .formats import (
    _EMAIL,
    _HHMM,
    _MONEY,
    _date_parts,
    _datetime_parts,
)
from .problems import ProblemCollector, _describe, _join, _short
from .vocabulary import _LEN

_MISSING = object()


def _raw(obj: object, key: str) -> str | None:
    """The text under ``key``, even malformed: names that refer to it still resolve, so one bad
    key is reported once rather than at every place that names it."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else None


class ValueChecks(ProblemCollector):
    """Checks of single values (each returns the checked value, or None when absent or wrong)."""

    def take(self, obj, key, path, optional):
        """The raw value of ``key``, or _MISSING (reporting a missing required key)."""
        if not isinstance(obj, dict):
            return _MISSING
        if key not in obj:
            if not optional:
                self.add(_join(path, key), "required key is missing")
            return _MISSING
        if obj[key] is None:
            if not optional:
                self.add(_join(path, key), "must have a value, got nothing (null)")
            return _MISSING
        return obj[key]

    def text(self, obj, key, path, *, optional=False, max_len=None, pattern=None, hint=""):
        """Non-blank text, at most ``max_len`` long, matching ``pattern`` (``hint`` says how)."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if not isinstance(value, str):
            quote = " (quote it)" if isinstance(value, int | float | date) else ""
            self.add(where, f"must be text{quote}, got {_describe(value)}")
            return None
        if not value.strip():
            self.add(where, "must not be empty")
            return None
        if max_len and len(value) > max_len:
            self.add(where, f"is {len(value)} characters long; at most {max_len} allowed")
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.add(where, f"{_short(value)} is not valid: expected {hint}")
            return None
        return value

    def choice(self, obj, key, path, choices, *, optional=False):
        """One of a closed set of words."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or value not in choices:
            shown = _short(value) if isinstance(value, str) else _describe(value)
            self.add(
                _join(path, key), f"{shown} is not allowed: expected one of {', '.join(choices)}"
            )
            return None
        return value

    def integer(self, obj, key, path, *, low=None, high=None, optional=False):
        """A whole number within bounds (booleans are not numbers here)."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(where, f"must be a whole number, got {_describe(value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"≥ {low}" if high is None else f"between {low} and {high}"
            self.add(where, f"{value} is out of range: expected a whole number {bounds}")
            return None
        return value

    def boolean(self, obj, key, path, *, optional=False):
        """true or false."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.add(_join(path, key), f"must be true or false, got {_describe(value)}")
            return None
        return value

    def decimal(self, obj, key, path, *, what, low, high=None, low_open=False, optional=False):
        """A money amount or rate: a quoted string with exactly two decimals, within bounds."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        where = _join(path, key)
        example = '"24.90"' if what == "money amount" else '"20.00"'
        if not isinstance(value, str):
            extra = "; quote it" if isinstance(value, int | float) else ""
            self.add(
                where,
                f"must be a {what} written as a string with two decimals like {example}, "
                f"got {_describe(value)}{extra}",
            )
            return None
        if not _MONEY.fullmatch(value):
            self.add(
                where,
                f"{_short(value)} is not a {what}: expected exactly two decimals, like {example}",
            )
            return None
        number = Decimal(value)
        if number < low or (low_open and number == low) or (high is not None and number > high):
            sign = ">" if low_open else "≥"
            bounds = f"{sign} {low}" + (f" and ≤ {high}" if high is not None else "")
            self.add(where, f"{value} is out of range: expected a {what} {bounds}")
            return None
        return number

    def money(self, obj, key, path, *, optional=False):
        """A money amount ≥ 0 such as "24.90"."""
        return self.decimal(obj, key, path, what="money amount", low=Decimal(0), optional=optional)

    def rate(self, obj, key, path, *, low_open=False, optional=False):
        """A percentage between 0 and 100 such as "20.00"."""
        return self.decimal(
            obj, key, path, what="rate", low=Decimal(0), high=Decimal(100), low_open=low_open,
            optional=optional,
        )  # fmt: skip

    def date_spec(self, obj, key, path, *, optional=False, iso_only=False):
        """A date spec as (kind, value), comparable with another of the same kind."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        try:
            parts = _date_parts(value)
        except ValueError as exc:
            self.add(_join(path, key), str(exc))
            return None
        if iso_only and parts[0] != "abs":
            self.add(
                _join(path, key), f"must be an ISO date like 1980-04-12, not an offset ({value})"
            )
            return None
        return parts

    def datetime_spec(self, obj, key, path, *, optional=False):
        """A date-time spec as (kind, value), comparable with another of the same kind."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        try:
            return _datetime_parts(value)
        except ValueError as exc:
            self.add(_join(path, key), str(exc))
            return None

    def clock(self, obj, key, path):
        """Minutes since midnight of an "HH:MM" time."""
        value = self.take(obj, key, path, False)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 14:30 as the base-60 number 870.
            self.add(
                where, f'must be a quoted time like "14:30"; YAML read it as the number {value}'
            )
            return None
        m = _HHMM.fullmatch(value) if isinstance(value, str) else None
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            self.add(where, f'expected a time "HH:MM" like "09:00", got {_describe(value)}')
            return None
        return int(m.group(1)) * 60 + int(m.group(2))

    def email(self, obj, key, path, *, optional=False):
        """An email address (a plausible shape, not a deliverability check)."""
        value = self.text(obj, key, path, optional=optional, max_len=_LEN["email"])
        if value is not None and not _EMAIL.fullmatch(value):
            self.add(_join(path, key), f"{_short(value)} is not an email address")
            return None
        return value

    def phone(self, obj, key, path, *, optional=False):
        """A French phone number; returns its E.164 form."""
        value = self.text(obj, key, path, optional=optional, max_len=_LEN["phone"])
        if value is not None and normalize_phone(value) is None:
            self.add(
                _join(path, key),
                f"{_short(value)} is not a French phone number: expected 10 digits starting with 0"
                " (04 78 12 34 56) or +33 followed by 9 digits",
            )
            return None
        return value and normalize_phone(value)
