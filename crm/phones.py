"""Phone numbers: one normalisation (French numbers to E.164) and one look-up of clients by number.

Every boundary that reads a number (scenario packs, client forms, the API, the phone, the inbox,
the evidence rules) normalises it here, and every place that finds the client behind a number
(the screen pop of a call, the sender of a message, the client search) asks `clients_with_number`
or `has_number`, so that « 04 78 12 34 56 » and « +33 (0)4 78 12 34 56 » are one number
everywhere. It imports no package but the client models, so any layer may import it.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.db import db

_INTERNATIONAL = re.compile(r"^\+[1-9]\d{7,14}$")


def normalize_phone(raw: str) -> str | None:
    """E.164 form (``+33478123456``) of a French number typed any common way, else None.

    Accepts ``04 78 12 34 56``, ``0478123456``, ``04.78.12.34.56``, ``04-78-12-34-56``,
    ``+33 4 78 12 34 56``, ``+33 (0)4 78 12 34 56``, ``+33478123456`` and ``0033478123456``.
    """
    if not isinstance(raw, str):
        return None
    text = re.sub(r"^(\+33|0033)\s*\(0\)", r"\1", raw.strip())
    # Spaces (including the no-break spaces of French typography), dots and hyphens separate
    # digit groups; anything else (letters, slashes, extensions) means it is not a plain number.
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.startswith("+33"):
        national = compact[3:]
    elif compact.startswith("0033"):
        national = compact[4:]
    elif compact.startswith("0") and len(compact) == 10:
        national = compact[1:]
    else:
        return None
    if re.fullmatch(r"[1-9]\d{8}", national):
        return "+33" + national
    return None


def to_e164(raw) -> str | None:
    """A French number typed any common way, or an international one in E.164, else None."""
    if not isinstance(raw, str):
        return None
    french = normalize_phone(raw)
    if french:
        return french
    compact = re.sub(r"[\s.\-]", "", raw.strip())
    return compact if _INTERNATIONAL.match(compact) and not compact.startswith("+33") else None


def national(e164: str) -> str:
    """The national form of a French E.164 number: ``+33478123456`` → ``0478123456``."""
    return "0" + e164[3:]


def display_phone(value) -> str:
    """A French number as people write it: « +33465712050 » or « 04.65.71.20.50 » →
    « 04 65 71 20 50 »; anything else (an e-mail address, a foreign number) unchanged."""
    if not value:
        return ""
    e164 = normalize_phone(str(value))
    if not e164:
        return str(value)
    digits = national(e164)
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def has_number(e164: str):
    """SQL condition: the client file (or one of its contact persons) has exactly this number.

    Reads the client's search key (`crm.clients.search.phones_key`), which holds every number
    of the file and of its contact persons in E.164 between spaces.
    """
    return Client.search_phones.contains(f" {e164} ", autoescape=True)


#: Every call dialled or received and every message received looks its number up: built once
#: (crm/db.py: hot statements). The files having the number among their phones, and every
#: contact person's number of the attempt.
_HAVING_NUMBER = sa.select(Client).where(
    Client.id.in_(
        sa.select(ClientPhone.client_id).where(
            ClientPhone.attempt_id == sa.bindparam("attempt_id"),
            ClientPhone.e164 == sa.bindparam("e164"),
        )
    )
)
_PERSON_NUMBERS = sa.select(ContactPerson.client_id, ContactPerson.phone).where(
    ContactPerson.attempt_id == sa.bindparam("attempt_id"), ContactPerson.phone.is_not(None)
)


def clients_with_number(attempt_id: int, number: str) -> list[Client]:
    """Clients of the attempt having this number (typed any way), or a contact person having it:
    the screen pop of a call and the sender of a message. Empty for what is not a French number.

    Read from the phone and contact-person rows themselves (not the search key), so that a row
    written by any path, even one that sets only `client_id`, is found at once.
    """
    e164 = normalize_phone(number)
    if e164 is None:
        return []
    # The files having the number among their phones, read with the files themselves.
    params = {"attempt_id": attempt_id, "e164": e164}
    found = {client.id: client for client in db.session.scalars(_HAVING_NUMBER, params)}
    persons = db.session.execute(_PERSON_NUMBERS, params)
    # Contact persons keep the number as typed: normalised here to compare.
    more = {
        client_id
        for client_id, phone in persons
        if client_id not in found and normalize_phone(phone) == e164
    }
    if more:
        found.update(
            (client.id, client)
            for client in db.session.scalars(sa.select(Client).where(Client.id.in_(more)))
        )
    return [found[client_id] for client_id in sorted(found)]
