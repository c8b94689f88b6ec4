"""Checking a caller's identity against the client file before disclosing or changing anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from crm.actionlog.services import Ctx, record
from crm.clients.cleaning import fold, unknown_fields
from crm.clients.models import Client
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.phones import normalize_phone

#: The elements a caller can give, in the order they are usually asked.
ELEMENTS = (
    "client_number",
    "last_name",
    "first_name",
    "company_name",
    "postcode",
    "birth_date",
    "email",
    "phone",
)
MIN_ELEMENTS = 2


@dataclass
class IdentityCheck:
    """The verdict: verified when at least two elements were given and all of them match."""

    verified: bool
    checked: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def _parse_birth_date(text: str) -> date:
    """A birth date typed 1980-04-12 or 12/04/1980; ValueError otherwise."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    return datetime.strptime(text, "%d/%m/%Y").date()


def _given_elements(data: dict) -> dict[str, str]:
    """The non-empty elements given, as text; ValidationFailed for unknown or malformed ones."""
    errors = unknown_fields(data, ELEMENTS)
    given: dict[str, str] = {}
    for name in ELEMENTS:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or len(value) > 200:
            errors[name] = _("Texte attendu (200 caractères au plus).")
            continue
        given[name] = value.strip()
    if "birth_date" in given:
        try:
            _parse_birth_date(given["birth_date"])
        except ValueError:
            errors["birth_date"] = _("Date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ.")
    if "phone" in given and normalize_phone(given["phone"]) is None:
        errors["phone"] = _("Numéro français attendu, par exemple 04 78 12 34 56.")
    if errors:
        raise ValidationFailed(errors)
    if len(given) < MIN_ELEMENTS:
        raise ValidationFailed(
            {
                "identity": _(
                    "Vérifiez au moins deux éléments (numéro client, nom, code postal, "
                    "date de naissance, e-mail ou téléphone)."
                )
            }
        )
    return given


def _matches(client: Client, name: str, value: str) -> bool:
    """Whether one element given by the caller fits the file (normalised comparisons)."""
    if name == "client_number":
        return value.replace(" ", "").upper() == (client.number or "").upper()
    if name in ("last_name", "first_name", "company_name"):
        return bool(getattr(client, name)) and fold(value) == fold(getattr(client, name))
    if name == "postcode":
        return value.replace(" ", "") == (client.postcode or "")
    if name == "birth_date":
        return client.birth_date is not None and _parse_birth_date(value) == client.birth_date
    if name == "email":
        emails = [client.email] + [p.email for p in client.contact_persons]
        return value.lower() in {e.strip().lower() for e in emails if e}
    e164 = normalize_phone(value)
    numbers = {p.e164 for p in client.phones}
    numbers |= {normalize_phone(p.phone or "") for p in client.contact_persons}
    return e164 in numbers


def verify_identity(ctx: Ctx, client: Client, data: dict) -> IdentityCheck:
    """Compare what the caller gave with the file; record `identity.verified` or `.failed`.

    The payload names the elements checked and those that did not match, never their values:
    a birth date or an email has no place in the log.
    """
    given = _given_elements(data)
    mismatches = [name for name, value in given.items() if not _matches(client, name, value)]
    check = IdentityCheck(verified=not mismatches, checked=list(given), mismatches=mismatches)
    record(
        ctx,
        "identity.verified" if check.verified else "identity.failed",
        client,
        {"number": client.number, "checked": check.checked, "mismatches": check.mismatches},
    )
    return check
