"""Checking client-file values typed by a candidate (API body or page form).

One set of rules for both boundaries, so that a value refused on the page is refused by the API
with the same message (French, or the screen's language inside a request).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crm.errors import ValidationFailed
from crm.i18n import _
from crm.phones import normalize_phone

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_POSTCODE = re.compile(r"\d{5}")
TITLES = {"m": "M.", "m.": "M.", "mme": "Mme", "mme.": "Mme"}
SEGMENTS = ("b2b", "b2c")
MAX_PHONES = 5

#: Fields a candidate may change on a file, with their maximum length for text.
EDITABLE_TEXT = {
    "first_name": 80,
    "last_name": 80,
    "company_name": 160,
    "street": 200,
    "city": 100,
    "notes": 2000,
}
EDITABLE_FLAGS = ("consent_email", "consent_sms", "consent_phone", "do_not_call")
EDITABLE = (
    "title",
    *EDITABLE_TEXT,
    "email",
    "phones",
    "postcode",
    *EDITABLE_FLAGS,
)
#: Fields accepted when creating a prospect (the segment is chosen once, at creation).
CREATABLE = ("segment", *EDITABLE)


@dataclass(frozen=True)
class PhoneEntry:
    """A phone number as typed and its E.164 form."""

    number: str
    e164: str


def fold(text: str | None) -> str:
    """Lowercase without accents or punctuation runs: « Lefèvre-Dupré » → « lefevre dupre »."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("œ", "oe").replace("æ", "ae").replace("Œ", "oe").replace("Æ", "ae")
    return " ".join(re.sub(r"[^\w@.+]", " ", bare.lower()).split())


def unknown_fields(data: dict, allowed) -> dict[str, str]:
    """A message for each key that is not in `allowed`."""
    return {
        str(key): _("Champ inconnu ou non modifiable.") for key in data if key not in set(allowed)
    }


def clean_client_values(data: dict, allowed) -> dict:
    """Typed, trimmed values of the fields in `data`; ValidationFailed names each bad one."""
    errors = unknown_fields(data, allowed)
    values: dict = {}
    for name, raw in data.items():
        if name in errors:
            continue
        try:
            values[name] = _clean(name, raw)
        except ValueError as problem:
            errors[name] = str(problem)
    if errors:
        raise ValidationFailed(errors)
    return values


def _clean(name: str, raw):
    """One field's clean value, or ValueError with the message."""
    if name in EDITABLE_FLAGS:
        if not isinstance(raw, bool):
            raise ValueError(_("Booléen attendu (true ou false)."))
        return raw
    if name == "phones":
        return clean_phones(raw)
    if raw is not None and not isinstance(raw, str):
        raise ValueError(_("Texte attendu."))
    text = (raw or "").strip()
    if name == "segment":
        if text not in SEGMENTS:
            raise ValueError(_("Segment attendu : b2b (entreprise) ou b2c (particulier)."))
        return text
    if name == "title":
        if not text:
            return None
        if text.lower() not in TITLES:
            raise ValueError(_("Civilité attendue : M. ou Mme."))
        return TITLES[text.lower()]
    if name == "email":
        if not text:
            return None
        if len(text) > 160 or not _EMAIL.fullmatch(text):
            raise ValueError(_("Adresse e-mail invalide (exemple : nom@domaine.fr)."))
        return text
    if name == "postcode":
        compact = text.replace(" ", "")
        if not compact:
            return None
        if not _POSTCODE.fullmatch(compact):
            raise ValueError(_("Code postal à 5 chiffres attendu."))
        return compact
    limit = EDITABLE_TEXT[name]
    if len(text) > limit:
        raise ValueError(_("%(n)s caractères au plus.", n=limit))
    if name == "last_name" and not text:
        raise ValueError(_("Le nom est obligatoire."))
    if name in ("first_name", "notes"):
        return text
    return text or None


def clean_phones(raw) -> list[PhoneEntry]:
    """French numbers typed any common way, deduplicated, at most MAX_PHONES."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [line for line in re.split(r"[\n;,]", raw) if line.strip()]
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ValueError(_("Liste de numéros de téléphone attendue."))
    entries: list[PhoneEntry] = []
    for item in raw:
        typed = item.strip()
        if not typed:
            continue
        e164 = normalize_phone(typed)
        if e164 is None:
            raise ValueError(
                _(
                    "Numéro invalide : « %(number)s » (numéro français attendu, "
                    "par exemple 04 78 12 34 56).",
                    number=typed[:40],
                )
            )
        if all(entry.e164 != e164 for entry in entries):
            entries.append(PhoneEntry(typed, e164))
    if len(entries) > MAX_PHONES:
        raise ValueError(_("%(n)s numéros au plus.", n=MAX_PHONES))
    return entries
