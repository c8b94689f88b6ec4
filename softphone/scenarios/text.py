"""Matching what a candidate typed against a script's keywords, ignoring case and accents."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lowercase, no accents, punctuation as single spaces: "Allô, j'écoute" → "allo j ecoute"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.lower().replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", bare).split())


def mentions(text: str, words: list[str]) -> str | None:
    """The first keyword (or phrase) found as whole words in the text, or None."""
    haystack = f" {fold(text)} "
    for word in words:
        needle = fold(word)
        if needle and f" {needle} " in haystack:
            return word
    return None
