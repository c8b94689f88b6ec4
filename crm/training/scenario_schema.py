"""Check scenario packs (format ``plateau-scenario/1``) and resolve their relative dates.

The format is described in ``seed_data/scenarios/FORMAT.md``. Everything here is pure Python
(no Flask, no database), so the CLI, the library page and the tests all share one validator.
``validate_scenario`` never raises: whatever the document holds, it returns every problem found,
each with the path of the offending value, so an author fixes a file in one pass.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

FORMAT = "plateau-scenario/1"

FAMILIES = ("CA+", "CA-", "CNA", "closed")
EFFECTS = (
    "callback_required",
    "block_number_60_days",
    "do_not_call",
    "appointment_required",
    "payment_plan_or_promise",
    "claim_required",
)
CARD_BRANDS = ("visa", "mastercard", "amex", "cb", "maestro")
DUNNING_CHANNELS = ("email", "sms", "call", "letter")
TEMPLATE_CHANNELS = ("email", "sms", "letter")
CONTACT_CHANNELS = ("phone", "email", "sms", "chat", "letter")
ORDER_STATUSES = ("delivered", "shipped", "confirmed", "cancelled")
LANGUAGES = ("fr", "en")
_VARIABLES = (
    "client.title", "client.first_name", "client.last_name", "client.company_name",
    "client.number", "order.number", "order.total", "order.date", "invoice.number",
    "invoice.amount_due", "invoice.due_on", "plan.summary", "appointment.starts_at",
    "appointment.with", "claim.number", "agent.name", "company.name", "company.phone",
)  # fmt: skip
TEMPLATE_VARIABLES = frozenset(_VARIABLES)

_TOP_REQUIRED = (
    "format", "slug", "title", "description", "company", "training_cards", "qualification_codes",
    "dunning_ladder", "sales_reps", "products", "clients", "knowledge_base", "message_templates",
)  # fmt: skip
_TOP_OPTIONAL = ("promotions", "documents", "campaigns", "timeline")

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

# Column sizes of the world tables: a longer value would load on SQLite and fail on PostgreSQL.
_LEN = {
    "sku": 32, "client": 20, "number": 24, "code": 24, "rep": 40, "campaign": 60, "key": 80,
    "name": 160, "label": 120, "title": 200, "short": 80, "email": 160, "phone": 32,
}  # fmt: skip


@dataclass(frozen=True)
class ScenarioProblem:
    """One thing wrong in a scenario file, located by its path in the document."""

    file: str
    path: str  #: e.g. ``products[3].sale_unit.quantity``; empty for the whole document
    message: str

    def __str__(self) -> str:
        """``FILE: path: message``, the form ``plateau scenario validate`` prints."""
        if not self.path:
            return f"{self.file}: {self.message}"
        return f"{self.file}: {self.path}: {self.message}"


# --- small pure helpers other modules use -------------------------------------------------------


def normalize_phone(raw: str) -> str | None:
    """E.164 form (``+33478123456``) of a French number typed any common way, else None.

    Accepts ``04 78 12 34 56``, ``0478123456``, ``04.78.12.34.56``, ``04-78-12-34-56``,
    ``+33 4 78 12 34 56``, ``+33 (0)4 78 12 34 56``, ``+33478123456`` and ``0033478123456``.
    """
    if not isinstance(raw, str):
        return None
    text = re.sub(r"^(\+33|0033)\s*\(0\)", r"\1", raw.strip())
    # Spaces (including the no-break spaces of French typography), dots and hyphens separate
    # digit groups; anything else (letters, slashes, extensions) means it is not a plain number.
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.startswith("+33"):
        national = compact[3:]
    elif compact.startswith("0033"):
        national = compact[4:]
    elif compact.startswith("0") and len(compact) == 10:
        national = compact[1:]
    else:
        return None
    if re.fullmatch(r"[1-9]\d{8}", national):
        return "+33" + national
    return None


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


# --- loading ------------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it: several times faster on a large pack.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """A safe loader that notes duplicate keys, which plain YAML silently overwrites."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[str] = []

    def construct_mapping(self, node, deep=False):
        """Build a mapping, remembering any key written twice in it (merge keys excepted)."""
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                if key_node.value in seen:
                    mark = key_node.start_mark
                    self.duplicates.append(
                        f"line {mark.line + 1}, column {mark.column + 1}: key {key_node.value!r}"
                        " appears twice in the same mapping (YAML would keep only the last one)"
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def load_scenario_file(path: str | Path) -> tuple[dict | None, list[ScenarioProblem]]:
    """Read and check a scenario file: (document or None, every problem found)."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [ScenarioProblem(name, "", f"the file is not UTF-8 text: {exc}")]
    except OSError as exc:
        return None, [ScenarioProblem(name, "", f"cannot read the file: {exc.strerror or exc}")]
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        return None, [ScenarioProblem(name, "", _yaml_error(exc))]
    except yaml.YAMLError as exc:
        return None, [ScenarioProblem(name, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [ScenarioProblem(name, "", "YAML error: the document is nested too deeply")]
    finally:
        loader.dispose()
    problems = [ScenarioProblem(name, "", message) for message in loader.duplicates]
    problems += validate_scenario(data, name)
    return (data if isinstance(data, dict) else None), problems


def _at(mark) -> str:
    """YAML marks count from 0; people count lines and columns from 1."""
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _yaml_error(exc: yaml.MarkedYAMLError) -> str:
    """Where the parser stopped, what it expected, and where the unfinished construct began."""
    mark = exc.problem_mark or exc.context_mark
    message = "YAML syntax error" + (f" at {_at(mark)}" if mark else "")
    message += f": {exc.problem or exc.context or 'invalid YAML'}"
    if exc.context and exc.problem:
        started = f" started at {_at(exc.context_mark)}" if exc.context_mark else ""
        message += f" ({exc.context}{started})"
    return message


def validate_scenario(data: object, file: str) -> list[ScenarioProblem]:
    """Every problem of a loaded scenario document; an empty list means it is valid."""
    checker = _Checker(str(file))
    checker.document(data)
    return checker.problems


# --- the checker ---------------------------------------------------------------------------------

_MISSING = object()


def _join(path: str, key: object) -> str:
    """The path of ``key`` inside ``path`` ("clients[2]" + "email")."""
    return f"{path}.{key}" if path else str(key)


def _raw(obj: object, key: str) -> str | None:
    """The text under ``key``, even malformed: names that refer to it still resolve, so one bad
    key is reported once rather than at every place that names it."""
    value = obj.get(key) if isinstance(obj, dict) else None
    return value if isinstance(value, str) else None


def _short(value: str, limit: int = 40) -> str:
    """A quoted value for a message, cut short when long."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _describe(value: object) -> str:
    """How a wrong value reads in a message ("the number 24.9", "a list")."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"the text {_short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a value of type {type(value).__name__}"


class _Checker:
    """Walks one document, collecting problems; each ``_section`` method knows one part."""

    def __init__(self, file: str):
        """Start with no problem found in ``file``."""
        self.file = file
        self.problems: list[ScenarioProblem] = []

    def add(self, path: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(ScenarioProblem(self.file, path, message))

    # -- generic value checks (each returns the checked value, or None when absent or wrong) --

    def mapping(self, value, path, keys: Iterable[str], *, open_=False) -> dict | None:
        """The value if it is a mapping; unknown keys are reported unless ``open_``."""
        if not isinstance(value, dict):
            self.add(path, f"must be a mapping (key: value pairs), got {_describe(value)}")
            return None
        if not open_:
            known = list(keys)
            for key in value:
                if key not in known:
                    close = difflib.get_close_matches(str(key), known, n=1)
                    hint = (
                        f"did you mean {close[0]!r}?" if close else "allowed: " + ", ".join(known)
                    )
                    self.add(_join(path, key), f"unknown key; {hint}")
        return value

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

    def seq(self, obj, key, path, *, optional=False, non_empty=False) -> list:
        """The list under ``key`` ([] when absent or wrong, after reporting)."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.add(_join(path, key), f"must be a list, got {_describe(value)}")
            return []
        if non_empty and not value:
            self.add(_join(path, key), "must not be an empty list")
        return value

    def refs(self, obj, key, path, known, what, source, *, optional=False, non_empty=False):
        """(path, name) for each valid reference of a list; each must name one of ``known``."""
        found: list[tuple[str, str]] = []
        first: dict[str, int] = {}
        for i, item in enumerate(self.seq(obj, key, path, optional=optional, non_empty=non_empty)):
            where = f"{_join(path, key)}[{i}]"
            if not isinstance(item, str):
                self.add(where, f"must be a {what} (text), got {_describe(item)}")
            elif item in first:
                self.add(where, f"{item!r} is listed twice (first at index {first[item]})")
            else:
                first[item] = i
                if self.ref(where, item, known, what, source):
                    found.append((where, item))
        return found

    def ref(self, where, value, known, what, source) -> bool:
        """Whether ``value`` names one of ``known``; reports an unknown name and where to look."""
        if value in known:
            return True
        close = difflib.get_close_matches(value, [str(k) for k in known], n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        self.add(where, f"unknown {what} {value!r}: {source}{hint}")
        return False

    def unique(self, where, value, seen: dict, what):
        """Record a key in ``seen`` (key -> path), reporting a duplicate."""
        if value is None:
            return
        if value in seen:
            self.add(where, f"duplicate {what} {value!r}: already used at {seen[value]}")
        else:
            seen[value] = where

    def address(self, obj, key, path):
        """A postal address; French postcodes have five digits."""
        value = self.take(obj, key, path, False)
        if value is _MISSING:
            return
        path = _join(path, key)
        addr = self.mapping(value, path, ("street", "postcode", "city", "country"))
        self.text(addr, "street", path, max_len=200)
        self.text(addr, "city", path, max_len=100)
        country = self.text(
            addr, "country", path, pattern=re.compile(r"[A-Z]{2}"), hint="a code like FR"
        )
        postcode = self.text(addr, "postcode", path, max_len=10)
        if country == "FR" and postcode and not re.fullmatch(r"\d{5}", postcode):
            self.add(_join(path, "postcode"), f"{postcode!r} is not a French postcode (5 digits)")

    def records(self, obj, key, path, keys, *, optional=False, non_empty=False, open_=False):
        """(path, mapping) for each item of a list of mappings; other items are reported."""
        found = []
        for i, item in enumerate(self.seq(obj, key, path, optional=optional, non_empty=non_empty)):
            where = f"{_join(path, key)}[{i}]"
            record = self.mapping(item, where, keys, open_=open_)
            if record is not None:
                found.append((where, record))
        return found

    def not_before(self, first, second, where, message):
        """Report when ``second`` precedes ``first``; only specs of one kind can be compared."""
        if first and second and first[0] == second[0] and second[1] < first[1]:
            self.add(where, message)

    def placeholders(self, text, where):
        """Only ``{{ variable }}`` placeholders with an allowed variable name."""
        if text is None:
            return
        for m in _PLACEHOLDER.finditer(text):
            name = m.group(1).strip()
            if name not in TEMPLATE_VARIABLES:
                close = difflib.get_close_matches(name, sorted(TEMPLATE_VARIABLES), n=1)
                hint = f"did you mean {close[0]}? " if close else ""
                self.add(
                    where,
                    f"unknown variable {{{{ {name} }}}}: {hint}allowed: "
                    + ", ".join(sorted(TEMPLATE_VARIABLES)),
                )
        rest = _PLACEHOLDER.sub("", text)
        if "{%" in rest or "%}" in rest:
            self.add(where, "statements {% … %} are not supported: use {{ variable }} placeholders")
        elif "{{" in rest or "}}" in rest:
            self.add(
                where, "unbalanced braces: each {{ needs its }} (as in {{ client.last_name }})"
            )

    # -- the sections of a scenario --

    def document(self, data) -> None:
        """The whole document, section by section; referenced sections first."""
        if not isinstance(data, dict):
            self.add(
                "",
                "the document must be a mapping of top-level keys (format, slug, title, …), "
                f"got {_describe(data)}",
            )
            return
        self.mapping(data, "", [*_TOP_REQUIRED, *_TOP_OPTIONAL])
        fmt = self.text(data, "format", "")
        if fmt is not None and fmt != FORMAT:
            self.add("format", f"{_short(fmt)} is not supported: expected {FORMAT!r}")
        slug = self.text(data, "slug", "", max_len=64, pattern=_SLUG, hint=_SLUG_HINT)
        stem = Path(self.file).stem
        if slug is not None and slug != stem:
            self.add(
                "slug",
                f"{slug!r} does not match the file name {Path(self.file).name!r}: "
                f"expected {stem!r} (a pack is named <slug>.yaml)",
            )
        self.text(data, "title", "", max_len=_LEN["title"])
        self.text(data, "description", "")
        self.company(data)
        self.training_cards(data)
        codes = self.qualification_codes(data)
        templates = self.message_templates(data)
        self.dunning_ladder(data, templates)
        self.sales_reps(data)
        skus = self.products(data)
        self.promotions(data, skus)
        self.clients(data, skus, codes)
        self.knowledge_base(data)
        self.documents(data)
        self.campaigns(data, codes)
        for i, event in enumerate(self.seq(data, "timeline", "", optional=True)):
            if not isinstance(event, dict):
                self.add(f"timeline[{i}]", f"must be a mapping (one event), got {_describe(event)}")

    def company(self, data) -> None:
        """The company block: identity, charter, terms and internal procedures."""
        keys = (
            "name", "legal_name", "phone", "email", "website", "address", "charter",
            "delivery_terms", "payment_terms", "procedures",
        )  # fmt: skip
        value = self.take(data, "company", "", False)
        company = None if value is _MISSING else self.mapping(value, "company", keys)
        if company is None:
            return
        self.text(company, "name", "company", max_len=_LEN["name"])
        self.text(company, "legal_name", "company", max_len=_LEN["title"])
        self.phone(company, "phone", "company")
        self.email(company, "email", "company")
        self.text(company, "website", "company", pattern=_WEBSITE, hint="an address like www.x.fr")
        self.address(company, "address", "company")
        for key in ("charter", "delivery_terms", "payment_terms"):
            self.text(company, key, "company")
        seen: dict = {}
        for where, proc in self.records(company, "procedures", "company", ("key", "title", "body")):
            key = self.text(proc, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, "procedure key")
            self.text(proc, "title", where, max_len=_LEN["title"])
            self.text(proc, "body", where)

    def training_cards(self, data) -> None:
        """Test card numbers: 13–19 digits, Luhn-valid, prefix matching the brand."""
        seen: dict = {}
        for where, card in self.records(
            data, "training_cards", "", ("number", "brand", "label"), non_empty=True
        ):
            number = self.text(
                card, "number", where, pattern=re.compile(r"\d{13,19}"),
                hint="13 to 19 digits written as quoted text, without spaces",
            )  # fmt: skip
            brand = self.choice(card, "brand", where, CARD_BRANDS)
            self.text(card, "label", where, max_len=_LEN["label"])
            if number is None:
                continue
            self.unique(_join(where, "number"), number, seen, "card number")
            if not luhn_ok(number):
                self.add(_join(where, "number"), f"{number} fails the Luhn check digit test")
            rule = _BRAND_PREFIX.get(brand)
            if rule and not re.match(rule[0], number):
                self.add(_join(where, "number"), f"a {brand} card number {rule[1]}")

    def qualification_codes(self, data) -> set[str]:
        """The codes a contact is qualified with; returns the set of valid codes."""
        seen: dict = {}
        keys = ("code", "label", "family", "description", "effects")
        for where, qc in self.records(data, "qualification_codes", "", keys, non_empty=True):
            self.text(qc, "code", where, max_len=_LEN["code"], pattern=_CODE, hint=_CODE_HINT)
            self.unique(_join(where, "code"), _raw(qc, "code"), seen, "qualification code")
            self.text(qc, "label", where, max_len=_LEN["label"])
            self.choice(qc, "family", where, FAMILIES)
            self.text(qc, "description", where)
            self.refs(
                qc, "effects", where, EFFECTS, "effect", "expected one of " + ", ".join(EFFECTS)
            )
        return set(seen)

    def message_templates(self, data) -> dict[str, str]:
        """Letter templates; returns key -> channel for the dunning ladder."""
        seen: dict = {}
        channels: dict[str, str] = {}
        keys = ("key", "name", "channel", "language", "subject", "body")
        for where, tpl in self.records(data, "message_templates", "", keys, non_empty=True):
            self.text(tpl, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            key = _raw(tpl, "key")
            self.unique(_join(where, "key"), key, seen, "template key")
            self.text(tpl, "name", where, max_len=_LEN["name"])
            channel = self.choice(tpl, "channel", where, TEMPLATE_CHANNELS)
            self.choice(tpl, "language", where, LANGUAGES)
            if channel in ("email", None):
                subject = self.text(
                    tpl, "subject", where, optional=channel is None, max_len=_LEN["title"]
                )
                self.placeholders(subject, _join(where, "subject"))
            elif tpl.get("subject") not in (None, ""):
                self.add(
                    _join(where, "subject"), f"only email templates have a subject, not {channel}"
                )
            self.placeholders(self.text(tpl, "body", where), _join(where, "body"))
            if key and channel:
                channels.setdefault(key, channel)
        return channels

    def dunning_ladder(self, data, templates: dict[str, str]) -> None:
        """Reminder steps in increasing level and delay, each with a template of its channel."""
        last_level = last_days = None
        keys = ("level", "days_after_due", "channel", "template", "label")
        for where, step in self.records(data, "dunning_ladder", "", keys, non_empty=True):
            level = self.integer(step, "level", where, low=1)
            days = self.integer(step, "days_after_due", where, low=0)
            channel = self.choice(step, "channel", where, DUNNING_CHANNELS)
            # A phone call needs no letter; every written reminder is sent from a template.
            template = self.text(step, "template", where, optional=channel in ("call", None))
            known = template is not None and self.ref(
                _join(where, "template"), template, templates, "template",
                "no message template has this key",
            )  # fmt: skip
            if known and channel not in ("call", None) and templates[template] != channel:
                self.add(
                    _join(where, "template"),
                    f"{template!r} is a {templates[template]} template; this step is {channel}",
                )
            self.text(step, "label", where, max_len=_LEN["label"])
            if level is not None:
                if last_level is not None and level <= last_level:
                    self.add(
                        _join(where, "level"),
                        f"levels must increase down the list: {level} comes after {last_level}",
                    )
                last_level = level
            if days is not None:
                if last_days is not None and days <= last_days:
                    self.add(
                        _join(where, "days_after_due"),
                        f"must be more than the previous step's {last_days} days",
                    )
                last_days = days

    def sales_reps(self, data) -> None:
        """Reps who take appointments: weekly working ranges and slots already booked."""
        seen: dict = {}
        keys = ("key", "name", "region", "email", "slot_minutes", "working_hours", "busy")
        for where, rep in self.records(data, "sales_reps", "", keys, non_empty=True):
            key = self.text(rep, "key", where, max_len=_LEN["rep"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, "sales rep key")
            self.text(rep, "name", where, max_len=_LEN["label"])
            self.text(rep, "region", where, max_len=_LEN["label"])
            self.email(rep, "email", where)
            self.integer(rep, "slot_minutes", where, low=5, high=480)
            ranges: dict[int, list[tuple[int, int, str]]] = {}
            hours = ("weekday", "start", "end")
            for hw, span in self.records(rep, "working_hours", where, hours, non_empty=True):
                weekday = self.integer(span, "weekday", hw, low=0, high=6)
                start, end = self.clock(span, "start", hw), self.clock(span, "end", hw)
                if start is None or end is None:
                    continue
                if start >= end:
                    self.add(_join(hw, "end"), f"{span['end']} is not after start {span['start']}")
                    continue
                for other_start, other_end, other in ranges.get(weekday, []):
                    if start < other_end and other_start < end:
                        self.add(hw, f"overlaps {other} on the same weekday")
                if weekday is not None:
                    ranges.setdefault(weekday, []).append((start, end, hw))
            busy_keys = ("starts_at", "ends_at", "label")
            for bw, busy in self.records(rep, "busy", where, busy_keys, optional=True):
                starts = self.datetime_spec(busy, "starts_at", bw)
                ends = self.datetime_spec(busy, "ends_at", bw)
                self.text(busy, "label", bw, max_len=300)
                if starts and ends and starts[0] == ends[0] and ends[1] <= starts[1]:
                    self.add(_join(bw, "ends_at"), "must be after starts_at")

    def products(self, data) -> set[str]:
        """The catalogue; returns the set of valid skus."""
        keys = (
            "sku", "name", "category", "description", "sale_unit", "unit_price", "vat_rate",
            "stock", "restock_date", "substitutes", "complements",
        )  # fmt: skip
        records = self.records(data, "products", "", keys, non_empty=True)
        # Skus first: substitutes and complements may name a product defined further down.
        skus: dict = {}
        own = []
        for where, product in records:
            self.text(product, "sku", where, max_len=_LEN["sku"], pattern=_CODE, hint=_CODE_HINT)
            sku = _raw(product, "sku")
            self.unique(_join(where, "sku"), sku, skus, "sku")
            own.append(sku)
        for (where, product), sku in zip(records, own, strict=True):
            self.text(product, "name", where, max_len=_LEN["name"])
            self.text(product, "category", where, max_len=_LEN["short"])
            self.text(product, "description", where)
            unit = self.take(product, "sale_unit", where, False)
            if unit is not _MISSING:
                unit_path = _join(where, "sale_unit")
                unit = self.mapping(unit, unit_path, ("label", "quantity"))
                self.text(unit, "label", unit_path, max_len=_LEN["short"])
                self.integer(unit, "quantity", unit_path, low=1)
            self.money(product, "unit_price", where)
            self.rate(product, "vat_rate", where)
            stock = self.integer(product, "stock", where, low=0)
            self.date_spec(product, "restock_date", where, optional=True)
            if stock == 0 and product.get("restock_date") is None:
                self.add(
                    _join(where, "restock_date"),
                    'required when stock is 0: the date it is back in stock, e.g. "+10d"',
                )
            for key, what in (("substitutes", "substitute"), ("complements", "complement")):
                found = self.refs(
                    product, key, where, skus, "sku", "no product has this sku", optional=True
                )
                for ref_path, target in found:
                    if target == sku:
                        self.add(ref_path, f"a product cannot be its own {what}")
        return set(skus)

    def promotions(self, data, skus: set[str]) -> None:
        """Percent-off promotions on listed skus over a date range."""
        seen: dict = {}
        keys = ("code", "label", "skus", "percent", "starts_on", "ends_on")
        for where, promo in self.records(data, "promotions", "", keys, optional=True):
            code = self.text(promo, "code", where, max_len=32, pattern=_CODE, hint=_CODE_HINT)
            self.unique(_join(where, "code"), code, seen, "promotion code")
            self.text(promo, "label", where, max_len=_LEN["name"])
            self.refs(promo, "skus", where, skus, "sku", "no product has this sku", non_empty=True)
            self.rate(promo, "percent", where, low_open=True)
            starts = self.date_spec(promo, "starts_on", where)
            ends = self.date_spec(promo, "ends_on", where)
            self.not_before(starts, ends, _join(where, "ends_on"), "must not be before starts_on")

    def knowledge_base(self, data) -> None:
        """Articles candidates search; slugs are unique."""
        seen: dict = {}
        keys = ("slug", "title", "category", "tags", "body")
        for where, article in self.records(data, "knowledge_base", "", keys, non_empty=True):
            slug = self.text(
                article, "slug", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT
            )
            self.unique(_join(where, "slug"), slug, seen, "article slug")
            self.text(article, "title", where, max_len=_LEN["title"])
            self.text(article, "category", where, max_len=_LEN["short"])
            for i, tag in enumerate(self.seq(article, "tags", where)):
                if not isinstance(tag, str) or not tag.strip():
                    self.add(
                        f"{where}.tags[{i}]", f"must be a non-empty text, got {_describe(tag)}"
                    )
            self.text(article, "body", where)

    def documents(self, data) -> None:
        """Attachments library: a key, a title and a bare file name."""
        seen: dict = {}
        for where, doc in self.records(
            data, "documents", "", ("key", "title", "filename"), optional=True
        ):
            key = self.text(doc, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, "document key")
            self.text(doc, "title", where, max_len=_LEN["title"])
            self.text(
                doc, "filename", where, max_len=_LEN["title"], pattern=_FILENAME,
                hint="a bare file name with an extension, like cgv.pdf",
            )  # fmt: skip

    def campaigns(self, data, codes: set[str]) -> None:
        """Campaigns and the codes their contacts may be qualified with."""
        seen: dict = {}
        keys = ("key", "name", "kind", "qualification_codes")
        # Open mapping: the desk reads further settings (script, call list…) that the loader
        # keeps as they are, so extra keys are not typos here.
        for where, camp in self.records(data, "campaigns", "", keys, optional=True, open_=True):
            key = self.text(
                camp, "key", where, max_len=_LEN["campaign"], pattern=_SLUG, hint=_SLUG_HINT
            )
            self.unique(_join(where, "key"), key, seen, "campaign key")
            self.text(camp, "name", where, max_len=_LEN["name"])
            self.choice(camp, "kind", where, ("inbound", "outbound"))
            self.refs(
                camp, "qualification_codes", where, codes, "qualification code",
                "it is not in qualification_codes", non_empty=True,
            )  # fmt: skip

    def clients(self, data, skus: set[str], codes: set[str]) -> None:
        """Client and prospect files with their history; numbers are unique scenario-wide."""
        numbers: dict = {}
        invoices: dict = {}
        phones: dict = {}
        order_owner: dict[str, str] = {}  # order number -> path of the client that holds it
        pending = []  # invoice -> order references, resolved once every order is known
        for where, client in self.records(data, "clients", "", _CLIENT_KEYS, non_empty=True):
            self.text(
                client, "number", where, max_len=_LEN["client"], pattern=_CODE, hint=_CODE_HINT
            )
            self.unique(_join(where, "number"), _raw(client, "number"), numbers, "client number")
            self.identity(client, where)
            for i, raw in enumerate(self.seq(client, "phones", where, non_empty=True)):
                phone_path = f"{where}.phones[{i}]"
                e164 = normalize_phone(raw)
                if not isinstance(raw, str):
                    self.add(phone_path, f"must be a phone number as text, got {_describe(raw)}")
                elif e164 is None:
                    self.add(phone_path, f"{_short(raw)} is not a French phone number")
                elif e164 in phones:
                    # Inbound calls open the file matching the caller's number: keep it unique.
                    self.add(phone_path, f"{raw} is already the number of {phones[e164]}")
                else:
                    phones[e164] = phone_path
            person_keys = ("first_name", "last_name", "role", "phone", "email", "gatekeeper")
            for pw, person in self.records(
                client, "contact_persons", where, person_keys, optional=True
            ):
                self.text(person, "first_name", pw, max_len=_LEN["short"])
                self.text(person, "last_name", pw, max_len=_LEN["short"])
                self.text(person, "role", pw, max_len=_LEN["label"])
                self.phone(person, "phone", pw, optional=True)
                self.email(person, "email", pw, optional=True)
                self.boolean(person, "gatekeeper", pw, optional=True)
            own: set[str] = set()
            for ow, order in self.records(
                client, "orders", where, ("number", "date", "status", "lines"), optional=True
            ):
                self.text(
                    order, "number", ow, max_len=_LEN["number"], pattern=_CODE, hint=_CODE_HINT
                )
                ref = _raw(order, "number")
                self.unique(_join(ow, "number"), ref, order_owner, "order number")
                if ref is not None:
                    own.add(ref)
                self.date_spec(order, "date", ow)
                self.choice(order, "status", ow, ORDER_STATUSES)
                on_order: dict = {}
                for lw, line in self.records(
                    order, "lines", ow, ("sku", "quantity"), non_empty=True
                ):
                    sku = self.text(line, "sku", lw)
                    if sku is not None and self.ref(
                        _join(lw, "sku"), sku, skus, "sku", "no product has this sku"
                    ):
                        self.unique(_join(lw, "sku"), sku, on_order, "sku on this order")
                    self.integer(line, "quantity", lw, low=1)
            invoice_keys = ("number", "order", "issued_on", "due_on", "amount", "amount_paid")
            for iw, invoice in self.records(client, "invoices", where, invoice_keys, optional=True):
                self.text(
                    invoice, "number", iw, max_len=_LEN["number"], pattern=_CODE, hint=_CODE_HINT
                )
                self.unique(
                    _join(iw, "number"), _raw(invoice, "number"), invoices, "invoice number"
                )
                order_ref = self.text(invoice, "order", iw, optional=True)
                if order_ref is not None:
                    pending.append((_join(iw, "order"), order_ref, own))
                issued = self.date_spec(invoice, "issued_on", iw)
                due = self.date_spec(invoice, "due_on", iw)
                self.not_before(issued, due, _join(iw, "due_on"), "must not be before issued_on")
                amount = self.money(invoice, "amount", iw)
                paid = self.money(invoice, "amount_paid", iw)
                if amount is not None and paid is not None and paid > amount:
                    self.add(_join(iw, "amount_paid"), f"{paid} is more than the amount {amount}")
            contact_keys = ("date", "channel", "direction", "code", "note")
            for cw, contact in self.records(client, "contacts", where, contact_keys, optional=True):
                self.date_spec(contact, "date", cw)
                self.choice(contact, "channel", cw, CONTACT_CHANNELS)
                self.choice(contact, "direction", cw, ("inbound", "outbound"))
                code = self.text(contact, "code", cw)
                if code is not None:
                    self.ref(
                        _join(cw, "code"), code, codes, "qualification code",
                        "it is not in qualification_codes",
                    )  # fmt: skip
                self.text(contact, "note", cw)
        for where, ref, own in pending:
            if ref in own:
                continue
            if ref in order_owner:
                owner = order_owner[ref].rpartition(".orders")[0]
                self.add(where, f"order {ref!r} belongs to {owner}, not to this client")
            else:
                self.ref(where, ref, own, "order", "this client has no order with this number")

    def identity(self, client, where) -> None:
        """Who the client is and how they may be reached (everything but history)."""
        self.choice(client, "kind", where, ("client", "prospect"))
        segment = self.choice(client, "segment", where, ("b2b", "b2c"))
        if segment == "b2b" and client.get("company_name") is None:
            self.add(_join(where, "company_name"), "required for a b2b client: the company's name")
        self.text(client, "company_name", where, optional=True, max_len=_LEN["name"])
        siret = re.compile(r"\d{14}")
        self.text(client, "siret", where, optional=True, pattern=siret, hint="14 digits, no spaces")
        self.choice(client, "title", where, ("M.", "Mme"))
        self.text(client, "first_name", where, max_len=_LEN["short"])
        self.text(client, "last_name", where, max_len=_LEN["short"])
        self.email(client, "email", where)
        self.address(client, "address", where)
        self.date_spec(client, "birth_date", where, optional=True, iso_only=True)
        self.money(client, "credit_limit", where, optional=True)
        self.integer(client, "payment_terms_days", where, low=0, high=365)
        value = self.take(client, "consent", where, False)
        if value is not _MISSING:
            consent_path = _join(where, "consent")
            consent = self.mapping(value, consent_path, ("email", "sms", "phone"))
            for channel in ("email", "sms", "phone"):
                self.boolean(consent, channel, consent_path)
        self.boolean(client, "do_not_call", where)
        self.text(client, "notes", where, optional=True)


_CLIENT_KEYS = (
    "number", "kind", "segment", "company_name", "siret", "title", "first_name", "last_name",
    "email", "phones", "address", "birth_date", "credit_limit", "payment_terms_days", "consent",
    "do_not_call", "notes", "contact_persons", "orders", "invoices", "contacts",
)  # fmt: skip

# Issuer prefixes of the brands whose ranges are public and stable.
_BRAND_PREFIX = {
    "visa": (r"4", "starts with 4"),
    "mastercard": (
        r"5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)",
        "starts with 51–55 or 2221–2720",
    ),
    "amex": (r"3[47]\d{13}$", "starts with 34 or 37 and has 15 digits"),
}
