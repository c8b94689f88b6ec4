"""Integers the database can hold: the one bound for path ids, query strings and JSON bodies."""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

#: PostgreSQL's INTEGER (4 bytes) is the narrowest integer column of the models (every id,
#: quantities, counts); a value outside it names no row and cannot be stored, so it is refused
#: before it reaches the database (SQLite would raise OverflowError past 8 bytes, PostgreSQL
#: refuses anything past 4).
DB_INT_MIN = -(2**31)
DB_INT_MAX = 2**31 - 1

#: Digits in the longest integer within the bounds: longer strings are refused unparsed (Python
#: refuses to parse more than 4,300 digits at all).
_MAX_DIGITS = len(str(DB_INT_MAX))


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in every route: a whole number up to DB_INT_MAX, else 404 Not Found, instead
    of an id that overflows the database.

    NotFound rather than werkzeug's ValidationError ("this rule does not match"): the matcher
    would then answer 405 for another method's rule on the same path, as if the resource existed.
    """

    def to_python(self, value: str):
        """The id, or 404 when it has too many digits or is past DB_INT_MAX."""
        if len(value.lstrip("-")) > _MAX_DIGITS or not in_db_range(int(value)):
            raise NotFound()
        return super().to_python(value)


def in_db_range(value: int) -> bool:
    """Whether an integer fits every integer column."""
    return DB_INT_MIN <= value <= DB_INT_MAX


def is_db_id(value) -> bool:
    """Whether `value` can be a row's id: an int (not a bool) within the database's range."""
    return isinstance(value, int) and not isinstance(value, bool) and in_db_range(value)


def optional_db_int(value) -> int | None:
    """The integer `value` spells (digits, in the database's range), else None: for ids picked
    from a query string or a hidden field, where anything else names nothing."""
    try:
        return db_int(value)
    except (TypeError, ValueError):
        return None


def db_int(value) -> int:
    """`type=` for `request.args.get`/`getlist` and forms: the integer, or ValueError when it is
    not one or lies outside the database's range (werkzeug then treats it as absent)."""
    text = str(value).strip()
    # ASCII digits only: int() also reads "²" or Arabic-Indic digits, or fails on them.
    if not text.isascii() or len(text.lstrip("+-")) > _MAX_DIGITS:
        raise ValueError("integer out of range")
    number = int(text)
    if not in_db_range(number):
        raise ValueError("integer out of range")
    return number
