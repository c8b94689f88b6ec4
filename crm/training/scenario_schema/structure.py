"""Structural checks: mappings and their keys, lists, records, references and uniqueness.

These build on the scalar checks to walk nested parts of a document; the section validators
use them to check lists of records and the names one record uses to refer to another.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .problems import _describe, _join
from .values import _MISSING, ValueChecks


class StructureChecks(ValueChecks):
    """Checks of mappings, lists and cross-references, on top of the scalar value checks."""

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
