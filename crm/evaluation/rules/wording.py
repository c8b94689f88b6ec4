"""Small helpers the rules share to write their French sentences and read free text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from crm.contacts.agenda import PARIS
from crm.i18n import ngettext
from crm.payments.services import eur


def duration(seconds: float | None) -> str:
    """3 min 10 s, 45 s, 1 h 02 min: a duration as an evaluator reads it."""
    total = max(0, round(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def money(value) -> str:
    """An amount from a payload ("120.00") or a Decimal, as « 120,00 € »."""
    return eur(decimal(value))


def decimal(value) -> Decimal:
    """A payload amount as a Decimal (0 when absent or malformed)."""
    try:
        return Decimal(str(value)) if value is not None else Decimal("0.00")
    except InvalidOperation:
        return Decimal("0.00")


def moment(value) -> datetime | None:
    """A payload date-time (ISO text) or a datetime, as an aware datetime (None if absent)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def day(value) -> date | None:
    """A payload date (ISO text) as a date (None if absent or malformed)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def local_time(value: datetime | None) -> str:
    """25/11/2026 14:05, Paris time."""
    return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M") if value else "?"


def fr_day(value: date | None) -> str:
    """25/11/2026."""
    return value.strftime("%d/%m/%Y") if value else "?"


def fold(text: str | None) -> str:
    """Lower case without accents and with single spaces: what word checks compare."""
    decomposed = unicodedata.normalize("NFKD", (text or "").replace("\u2019", "'"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def contains_words(text: str | None, words: str | None) -> bool:
    """Whether `words` appear in `text` as whole words (accents and case ignored)."""
    wanted = fold(words)
    if not wanted:
        return False
    return re.search(r"(?<!\w)" + re.escape(wanted) + r"(?!\w)", fold(text)) is not None


def quote(text: str | None, limit: int = 80) -> str:
    """A short quotation of free text for an explanation."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def listing(items: list[str], limit: int = 4) -> str:
    """A, B, C et 2 autres."""
    shown = items[:limit]
    if len(items) > limit:
        return ngettext(
            "%(items)s et %(num)s autre",
            "%(items)s et %(num)s autres",
            len(items) - limit,
            items=", ".join(shown),
        )
    return ", ".join(shown)


def phone(number: str | None) -> str:
    """+33465713501 → 04 65 71 35 01 (French numbers); others as they are."""
    text = number or ""
    if text.startswith("+33") and len(text) == 12 and text[1:].isdigit():
        national = "0" + text[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return text


def upper_first(text: str) -> str:
    """The sentence with its first letter in upper case (the rest untouched)."""
    return text[:1].upper() + text[1:]
