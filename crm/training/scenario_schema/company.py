"""Section validators for the company: its identity block, training cards and sales reps."""

from __future__ import annotations

import re

from crm.i18n import lazy as _l

from .formats import _SLUG, _SLUG_HINT, _WEBSITE, luhn_ok
from .problems import _join
from .structure import StructureChecks
from .values import _MISSING
from .vocabulary import _LEN, CARD_BRANDS

# Issuer prefixes of the brands whose ranges are public and stable.
_BRAND_PREFIX = {
    "visa": (r"4", _l("un numéro de carte visa commence par 4")),
    "mastercard": (
        r"5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)",
        _l("un numéro de carte mastercard commence par 51–55 ou 2221–2720"),
    ),
    "amex": (
        r"3[47]\d{13}$",
        _l("un numéro de carte amex commence par 34 ou 37 et compte 15 chiffres"),
    ),
}


class CompanySections(StructureChecks):
    """The ``company``, ``training_cards`` and ``sales_reps`` sections."""

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
        self.text(
            company, "website", "company", pattern=_WEBSITE, hint=_l("une adresse comme www.x.fr")
        )
        self.address(company, "address", "company")
        for key in ("charter", "delivery_terms", "payment_terms"):
            self.text(company, key, "company")
        seen: dict = {}
        for where, proc in self.records(company, "procedures", "company", ("key", "title", "body")):
            key = self.text(proc, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("clé de procédure"))
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
                hint=_l("13 à 19 chiffres écrits en texte entre guillemets, sans espaces"),
            )  # fmt: skip
            brand = self.choice(card, "brand", where, CARD_BRANDS)
            self.text(card, "label", where, max_len=_LEN["label"])
            if number is None:
                continue
            self.unique(_join(where, "number"), number, seen, _l("numéro de carte"))
            if not luhn_ok(number):
                self.add(
                    _join(where, "number"),
                    _l(
                        "%(number)s échoue au contrôle de Luhn (chiffre de contrôle)", number=number
                    ),
                )
            rule = _BRAND_PREFIX.get(brand)
            if rule and not re.match(rule[0], number):
                self.add(_join(where, "number"), rule[1])

    def sales_reps(self, data) -> None:
        """Reps who take appointments: weekly working ranges and slots already booked."""
        seen: dict = {}
        keys = ("key", "name", "region", "email", "slot_minutes", "working_hours", "busy")
        for where, rep in self.records(data, "sales_reps", "", keys, non_empty=True):
            key = self.text(rep, "key", where, max_len=_LEN["rep"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("clé de commercial"))
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
                    self.add(
                        _join(hw, "end"),
                        _l(
                            "%(end)s n'est pas après le début %(start)s",
                            end=span["end"],
                            start=span["start"],
                        ),
                    )
                    continue
                for other_start, other_end, other in ranges.get(weekday, []):
                    if start < other_end and other_start < end:
                        self.add(
                            hw, _l("chevauche %(other)s le même jour de la semaine", other=other)
                        )
                if weekday is not None:
                    ranges.setdefault(weekday, []).append((start, end, hw))
            busy_keys = ("starts_at", "ends_at", "label")
            for bw, busy in self.records(rep, "busy", where, busy_keys, optional=True):
                starts = self.datetime_spec(busy, "starts_at", bw)
                ends = self.datetime_spec(busy, "ends_at", bw)
                self.text(busy, "label", bw, max_len=300)
                if starts and ends and starts[0] == ends[0] and ends[1] <= starts[1]:
                    self.add(_join(bw, "ends_at"), _l("doit être après starts_at"))
