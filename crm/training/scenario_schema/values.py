"""Scalar value checks: text, choices, numbers, money, dates, times, emails and phones.

Each check reads one key of a mapping, reports what is wrong with it, and returns the checked
value, or None when it is absent or wrong, so callers carry on and report every problem at once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm.i18n import N_, lazy
from crm.i18n import lazy as _l
from crm.i18n import lazy_plural as ngettext
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

#: The wording of the two kinds of decimal (money amounts and rates), whole sentences each
#: (French source, marked for the catalog; worded lazily where used).
_DECIMALS = {
    "money": {
        "example": '"24.90"',
        "not_text": N_(
            "doit être un montant écrit comme un texte à deux décimales, comme %(example)s, "
            "pas %(value)s"
        ),
        "unquoted": N_(
            "doit être un montant écrit comme un texte à deux décimales, comme %(example)s, "
            "pas %(value)s : mettez-le entre guillemets"
        ),
        "shape": N_(
            "%(value)s n'est pas un montant : attendu exactement deux décimales, comme %(example)s"
        ),
        "range": N_("%(value)s est hors limites : attendu un montant %(bounds)s"),
    },
    "rate": {
        "example": '"20.00"',
        "not_text": N_(
            "doit être un taux écrit comme un texte à deux décimales, comme %(example)s, "
            "pas %(value)s"
        ),
        "unquoted": N_(
            "doit être un taux écrit comme un texte à deux décimales, comme %(example)s, "
            "pas %(value)s : mettez-le entre guillemets"
        ),
        "shape": N_(
            "%(value)s n'est pas un taux : attendu exactement deux décimales, comme %(example)s"
        ),
        "range": N_("%(value)s est hors limites : attendu un taux %(bounds)s"),
    },
}


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
                self.add(_join(path, key), _l("clé obligatoire absente"))
            return _MISSING
        if obj[key] is None:
            if not optional:
                self.add(_join(path, key), _l("doit avoir une valeur, pas rien (null)"))
            return _MISSING
        return obj[key]

    def text(self, obj, key, path, *, optional=False, max_len=None, pattern=None, hint=""):
        """Non-blank text, at most ``max_len`` long, matching ``pattern`` (``hint`` says how)."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if not isinstance(value, str):
            if isinstance(value, int | float | date):
                message = _l(
                    "doit être du texte (mettez-le entre guillemets), pas %(value)s",
                    value=_describe(value),
                )
            else:
                message = _l("doit être du texte, pas %(value)s", value=_describe(value))
            self.add(where, message)
            return None
        if not value.strip():
            self.add(where, _l("ne doit pas être vide"))
            return None
        if max_len and len(value) > max_len:
            self.add(
                where,
                ngettext(
                    "%(length)s caractères, c'est trop : %(num)s caractère au plus",
                    "%(length)s caractères, c'est trop : %(num)s caractères au plus",
                    max_len,
                    length=len(value),
                ),
            )
            return None
        if pattern is not None and not pattern.fullmatch(value):
            self.add(
                where,
                _l("%(value)s n'est pas valide : attendu %(hint)s", value=_short(value), hint=hint),
            )
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
                _join(path, key),
                _l(
                    "%(value)s n'est pas permis : attendu l'un de %(choices)s",
                    value=shown,
                    choices=", ".join(choices),
                ),
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
            self.add(where, _l("doit être un nombre entier, pas %(value)s", value=_describe(value)))
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                message = _l(
                    "%(value)s est hors limites : attendu un nombre entier ≥ %(low)s",
                    value=value,
                    low=low,
                )
            else:
                message = _l(
                    "%(value)s est hors limites : attendu un nombre entier entre %(low)s "
                    "et %(high)s",
                    value=value,
                    low=low,
                    high=high,
                )
            self.add(where, message)
            return None
        return value

    def boolean(self, obj, key, path, *, optional=False):
        """true or false."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        if not isinstance(value, bool):
            self.add(
                _join(path, key),
                _l("doit être true ou false, pas %(value)s", value=_describe(value)),
            )
            return None
        return value

    def decimal(self, obj, key, path, *, kind, low, high=None, low_open=False, optional=False):
        """A money amount or rate (``kind``: a key of ``_DECIMALS``): a quoted string with exactly
        two decimals, within bounds."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return None
        where = _join(path, key)
        words = _DECIMALS[kind]
        if not isinstance(value, str):
            wording = words["unquoted" if isinstance(value, int | float) else "not_text"]
            self.add(where, lazy(wording, example=words["example"], value=_describe(value)))
            return None
        if not _MONEY.fullmatch(value):
            self.add(where, lazy(words["shape"], value=_short(value), example=words["example"]))
            return None
        number = Decimal(value)
        if number < low or (low_open and number == low) or (high is not None and number > high):
            sign = ">" if low_open else "≥"
            bounds = f"{sign} {low}" + (f", ≤ {high}" if high is not None else "")
            self.add(where, lazy(words["range"], value=value, bounds=bounds))
            return None
        return number

    def money(self, obj, key, path, *, optional=False):
        """A money amount ≥ 0 such as "24.90"."""
        return self.decimal(obj, key, path, kind="money", low=Decimal(0), optional=optional)

    def rate(self, obj, key, path, *, low_open=False, optional=False):
        """A percentage between 0 and 100 such as "20.00"."""
        return self.decimal(
            obj, key, path, kind="rate", low=Decimal(0), high=Decimal(100), low_open=low_open,
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
            self.add(_join(path, key), exc.args[0])
            return None
        if iso_only and parts[0] != "abs":
            self.add(
                _join(path, key),
                _l(
                    "doit être une date ISO comme 1980-04-12, pas un décalage (%(value)s)",
                    value=value,
                ),
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
            self.add(_join(path, key), exc.args[0])
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
                where,
                _l(
                    'doit être une heure entre guillemets comme "14:30" ; '
                    "YAML l'a lue comme le nombre %(value)s",
                    value=value,
                ),
            )
            return None
        m = _HHMM.fullmatch(value) if isinstance(value, str) else None
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            self.add(
                where,
                _l(
                    'attendu une heure "HH:MM" comme "09:00", pas %(value)s',
                    value=_describe(value),
                ),
            )
            return None
        return int(m.group(1)) * 60 + int(m.group(2))

    def email(self, obj, key, path, *, optional=False):
        """An email address (a plausible shape, not a deliverability check)."""
        value = self.text(obj, key, path, optional=optional, max_len=_LEN["email"])
        if value is not None and not _EMAIL.fullmatch(value):
            self.add(
                _join(path, key),
                _l("%(value)s n'est pas une adresse e-mail", value=_short(value)),
            )
            return None
        return value

    def phone(self, obj, key, path, *, optional=False):
        """A French phone number; returns its E.164 form."""
        value = self.text(obj, key, path, optional=optional, max_len=_LEN["phone"])
        if value is not None and normalize_phone(value) is None:
            self.add(
                _join(path, key),
                _l(
                    "%(value)s n'est pas un numéro de téléphone français : attendu 10 chiffres "
                    "commençant par 0 (04 78 12 34 56) ou +33 suivi de 9 chiffres",
                    value=_short(value),
                ),
            )
            return None
        return value and normalize_phone(value)
