"""Structural checks: mappings and their keys, lists, records, references and uniqueness.

These build on the scalar checks to walk nested parts of a document; the section validators
use them to check lists of records and the names one record uses to refer to another.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from crm.i18n import lazy as _l

from .problems import Message, _describe, _join
from .values import _MISSING, ValueChecks


class StructureChecks(ValueChecks):
    """Checks of mappings, lists and cross-references, on top of the scalar value checks."""

    def mapping(self, value, path, keys: Iterable[str], *, open_=False) -> dict | None:
        """The value if it is a mapping; unknown keys are reported unless ``open_``."""
        if not isinstance(value, dict):
            self.add(
                path,
                _l(
                    "doit être un mapping (des paires clé: valeur), pas %(value)s",
                    value=_describe(value),
                ),
            )
            return None
        if not open_:
            known = list(keys)
            for key in value:
                if key not in known:
                    close = difflib.get_close_matches(str(key), known, n=1)
                    if close:
                        message = _l(
                            "clé inconnue ; vouliez-vous dire %(close)s ?", close=repr(close[0])
                        )
                    else:
                        message = _l("clé inconnue ; permises : %(known)s", known=", ".join(known))
                    self.add(_join(path, key), message)
        return value

    def seq(self, obj, key, path, *, optional=False, non_empty=False) -> list:
        """The list under ``key`` ([] when absent or wrong, after reporting)."""
        value = self.take(obj, key, path, optional)
        if value is _MISSING:
            return []
        if not isinstance(value, list):
            self.add(
                _join(path, key), _l("doit être une liste, pas %(value)s", value=_describe(value))
            )
            return []
        if non_empty and not value:
            self.add(_join(path, key), _l("ne doit pas être une liste vide"))
        return value

    def refs(self, obj, key, path, known, what, source, *, optional=False, non_empty=False):
        """(path, name) for each valid reference of a list; each must name one of ``known``.

        ``what`` names the kind of thing referred to, ``source`` says where such names come from
        (both lazy messages, like ``ref``'s).
        """
        found: list[tuple[str, str]] = []
        first: dict[str, int] = {}
        for i, item in enumerate(self.seq(obj, key, path, optional=optional, non_empty=non_empty)):
            where = f"{_join(path, key)}[{i}]"
            if not isinstance(item, str):
                self.add(
                    where,
                    _l(
                        "doit être du texte (%(what)s), pas %(value)s",
                        what=what,
                        value=_describe(item),
                    ),
                )
            elif item in first:
                self.add(
                    where,
                    _l(
                        "%(value)s figure deux fois dans la liste (d'abord à l'indice %(index)s)",
                        value=repr(item),
                        index=first[item],
                    ),
                )
            else:
                first[item] = i
                if self.ref(where, item, known, what, source):
                    found.append((where, item))
        return found

    def ref(self, where, value, known, what: Message, source: Message) -> bool:
        """Whether ``value`` names one of ``known``; reports an unknown name and where to look.

        ``what`` (« code de qualification ») and ``source`` (« il n'est pas dans
        qualification_codes ») are lazy messages, so the whole sentence follows the reader's
        language; « introuvable » agrees with any noun.
        """
        if value in known:
            return True
        close = difflib.get_close_matches(value, [str(k) for k in known], n=1)
        if close:
            message = _l(
                "%(what)s %(value)s introuvable : %(source)s (vouliez-vous dire %(close)s ?)",
                what=what,
                value=repr(value),
                source=source,
                close=repr(close[0]),
            )
        else:
            message = _l(
                "%(what)s %(value)s introuvable : %(source)s",
                what=what,
                value=repr(value),
                source=source,
            )
        self.add(where, message)
        return False

    def unique(self, where, value, seen: dict, what: Message):
        """Record a key in ``seen`` (key -> path), reporting a duplicate (``what``: lazy)."""
        if value is None:
            return
        if value in seen:
            self.add(
                where,
                _l(
                    "%(what)s %(value)s en double : déjà à %(first)s",
                    what=what,
                    value=repr(value),
                    first=seen[value],
                ),
            )
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
            addr, "country", path, pattern=re.compile(r"[A-Z]{2}"), hint=_l("un code comme FR")
        )
        postcode = self.text(addr, "postcode", path, max_len=10)
        if country == "FR" and postcode and not re.fullmatch(r"\d{5}", postcode):
            self.add(
                _join(path, "postcode"),
                _l(
                    "%(postcode)s n'est pas un code postal français (5 chiffres)",
                    postcode=repr(postcode),
                ),
            )

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
