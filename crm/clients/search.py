"""Search keys: what a client search compares, stored on the client row so that SQL filters.

`search_words` holds the folded words of the file (number, names, company, emails, and those
of its contact persons); `search_phones` each phone of the file and of its contact persons in
E.164 and national form, between spaces. A session hook refreshes both whenever a client, one
of its phones or contact persons is written, so every path that changes a file (loading a
scenario, a reset, an edit, a new prospect) keeps them true without knowing about them.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.orm import Session

from crm.clients.cleaning import fold
from crm.clients.models import Client, ClientPhone, ContactPerson
from crm.phones import has_number, national, normalize_phone

#: A query made only of digits and phone punctuation, compared with parts of phone numbers.
_PHONE_LIKE = re.compile(r"[\d\s.\-+()]+")
#: Digits a partial phone query needs before it is compared with phone numbers.
PARTIAL_PHONE_DIGITS = 4


def words_key(client: Client) -> str:
    """The folded words a query's words are looked for in."""
    words = [client.number, client.last_name, client.first_name, client.company_name]
    words += [client.email]
    for person in client.contact_persons:
        words += [person.first_name, person.last_name, person.email]
    return " ".join(fold(w) for w in words if w)


def phones_key(client: Client) -> str:
    """Each number of the file as ` +33478123456 0478123456 `: exact and partial matches."""
    numbers = [p.e164 for p in client.phones]
    numbers += [normalize_phone(p.phone or "") for p in client.contact_persons]
    forms = [f"{n} {national(n)}" for n in numbers if n]
    return f" {' '.join(forms)} " if forms else ""


def query_condition(query: str):
    """Every word of the query is in the file's words; or the query is one of its numbers, or
    (4 digits or more, nothing but phone punctuation) part of one in national or E.164 form."""
    alternatives = []
    e164 = normalize_phone(query)
    if e164:
        alternatives.append(has_number(e164))
    digits = re.sub(r"\D", "", query)
    if _PHONE_LIKE.fullmatch(query) and len(digits) >= PARTIAL_PHONE_DIGITS:
        alternatives.append(Client.search_phones.contains(digits, autoescape=True))
    tokens = fold(query).split()
    alternatives.append(
        sa.and_(sa.true(), *(Client.search_words.contains(t, autoescape=True) for t in tokens))
    )
    return sa.or_(*alternatives)


#: The attributes the keys are made of, per model: a change elsewhere leaves them as they are.
_KEYED = {
    Client: (
        "number",
        "last_name",
        "first_name",
        "company_name",
        "email",
        "phones",
        "contact_persons",
    ),
    ContactPerson: ("first_name", "last_name", "email", "phone", "client"),
    ClientPhone: ("e164", "client"),
}


def _changed(row) -> bool:
    """A key attribute of this written row changed (or the row is new or deleted)."""
    state = sa.inspect(row)
    if state.pending or state.deleted or row in state.session.deleted:
        return True
    return any(state.attrs[name].history.has_changes() for name in _KEYED[type(row)])


def refresh_keys(session: Session, _flush_context=None, _instances=None) -> None:
    """`before_flush`: recompute the keys of every client whose keyed values this flush writes."""
    touched: set[Client] = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if type(row) not in _KEYED or not _changed(row):
            continue
        client = row if isinstance(row, Client) else row.client
        if client is not None:
            touched.add(client)
    for client in touched:
        if client in session.deleted:
            continue
        words, phones = words_key(client), phones_key(client)
        if client.search_words != words:
            client.search_words = words
        if client.search_phones != phones:
            client.search_phones = phones


def register() -> None:
    """Keep the search keys true on every session (once per process)."""
    if not sa.event.contains(Session, "before_flush", refresh_keys):
        sa.event.listen(Session, "before_flush", refresh_keys)
