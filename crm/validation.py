"""Typed reading of JSON bodies and query strings, collecting a message per bad field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from werkzeug.datastructures import MultiDict

from crm.boundary.integers import DB_INT_MAX, in_db_range
from crm.boundary.values import number_problem
from crm.errors import ValidationFailed
from crm.i18n import _

_MISSING = object()


class FormValues(dict):
    """Values an HTML form sent, copied into a plain mapping (a form's fields, a set-up a
    service reads from a page or from the API alike): `Fields` reads them as it reads
    `request.form`, an empty one meaning a field left blank, i.e. not given."""


def blank_is_absent(data) -> bool:
    """Whether `data` says "not given" with an empty string.

    A query string or an HTML form sends every field as a string, so leaving one out sends ""
    (`request.args` and `request.form` are MultiDicts; a form's values copied elsewhere are
    `FormValues`). Any other mapping is a JSON object, whose values are typed: there only a
    missing field or null is absent, and "" where a number, an amount, a date, a boolean or ids
    are expected is a wrong value, as the OpenAPI document says.
    """
    return isinstance(data, (MultiDict, FormValues))


class Fields:
    """Reads typed values from a mapping; `done()` raises ValidationFailed naming each field.

    A missing field or null is absent. An empty string is absent too in a query string or a
    form (`blank_is_absent`) and for text everywhere; in a JSON body, for any other kind, it is
    refused with the kind's message.

    Messages reach people through the pages and API clients alike: French, or the screen's
    language inside a request.
    """

    def __init__(self, data):
        self.data = data if isinstance(data, dict) else {}
        self.errors: dict[str, str] = {}
        self.blank_is_absent = blank_is_absent(data)

    def _raw(self, name: str, required: bool, *, text: bool = False):
        """The field's value, or _MISSING (recording "Champ obligatoire." if `required`) when
        it is absent; `text`: the field is free text, where "" is absent whatever the source
        (the document lets an optional text be empty)."""
        value = self.data.get(name, _MISSING)
        blank = isinstance(value, str) and value == "" and (text or self.blank_is_absent)
        if value is _MISSING or value is None or blank:
            if required:
                self.errors[name] = _("Champ obligatoire.")
            return _MISSING
        return value

    def text(self, name, *, required=True, max_length=200, default=None, choices=None, strip=True):
        """A string, trimmed (unless `strip` is false), at most `max_length` characters,
        optionally one of `choices`."""
        value = self._raw(name, required, text=True)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.errors[name] = _("Texte attendu.")
            return default
        if strip:
            value = value.strip()
        if required and not value:
            self.errors[name] = _("Champ obligatoire.")
            return default
        if len(value) > max_length:
            self.errors[name] = _("%(n)s caractères au plus.", n=max_length)
            return default
        if choices is not None and value not in choices:
            self.errors[name] = _(
                "Valeur inconnue ; attendu : %(choices)s.", choices=", ".join(sorted(choices))
            )
            return default
        return value

    def integer(self, name, *, required=True, minimum=None, maximum=None, default=None):
        """A whole number (JSON integer or digits in a string)."""
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool):
            self.errors[name] = _("Nombre entier attendu.")
            return default
        if (
            isinstance(value, str)
            and value.strip().isascii()
            and value.strip().lstrip("-").isdigit()
        ):
            try:
                value = int(value.strip())
            except ValueError:  # past Python's 4,300-digit parsing limit: out of range anyway
                self.errors[name] = number_problem(DB_INT_MAX + 1)
                return default
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            self.errors[name] = _("Nombre entier attendu.")
            return default
        # Whatever the caller allows, no integer column holds more (crm.boundary.integers).
        if not in_db_range(value):
            self.errors[name] = number_problem(value)
            return default
        if minimum is not None and value < minimum:
            self.errors[name] = _("Doit être supérieur ou égal à %(n)s.", n=minimum)
            return default
        if maximum is not None and value > maximum:
            self.errors[name] = _("Doit être inférieur ou égal à %(n)s.", n=maximum)
            return default
        return value

    def ident(self, name, *, required=True):
        """An id: a positive whole number."""
        return self.integer(name, required=required, minimum=1)

    def money(self, name, *, required=True, positive=True, default=None):
        """An amount in euros with at most two decimals ("12.50", 12.5 or "12,50")."""
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.errors[name] = _("Montant attendu, par exemple « 12.50 ».")
            return default
        try:
            amount = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            self.errors[name] = _("Montant attendu, par exemple « 12.50 ».")
            return default
        if not amount.is_finite() or amount.as_tuple().exponent < -2:
            self.errors[name] = _("Montant avec deux décimales au plus.")
            return default
        if positive and amount <= 0:
            self.errors[name] = _("Le montant doit être positif.")
            return default
        if amount >= Decimal("10000000000"):
            self.errors[name] = _("Montant trop élevé.")
            return default
        return amount.quantize(Decimal("0.01"))

    def day(self, name, *, required=True, default=None):
        """A date YYYY-MM-DD."""
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        try:
            return date.fromisoformat(value) if isinstance(value, str) else _fail()
        except ValueError:
            self.errors[name] = _("Date attendue au format AAAA-MM-JJ.")
            return default

    def moment(self, name, *, required=True, default=None):
        """A date-time ISO 8601 with its offset."""
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else _fail()
        except ValueError:
            self.errors[name] = _("Date et heure attendues (ISO 8601 avec fuseau).")
            return default
        if parsed.tzinfo is None:
            self.errors[name] = _("Précisez le fuseau horaire (ex. 2026-05-12T14:30:00+02:00).")
            return default
        return parsed

    def boolean(self, name, *, required=False, default=False):
        """true or false."""
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.errors[name] = _("Booléen attendu (true ou false).")
            return default
        return value

    def id_list(self, name, *, required=True):
        """A non-empty list of ids."""
        value = self._raw(name, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not value:
            self.errors[name] = _("Liste d'identifiants attendue.")
            return []
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 < v <= DB_INT_MAX for v in value
        ):
            self.errors[name] = _("Chaque identifiant doit être un entier positif.")
            return []
        return value

    def done(self) -> None:
        """Raise ValidationFailed when any field was refused."""
        if self.errors:
            raise ValidationFailed(dict(self.errors))


def _fail():
    raise ValueError
