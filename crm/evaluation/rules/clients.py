"""The client file updated with what the customer said (new number, email, opt-out, move…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.clients.models import Client
from crm.db import db
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import calls, contact_clients, conversations
from crm.evaluation.rules.wording import quote
from crm.i18n import _, _l
from crm.phones import normalize_phone

_PHONE = re.compile(r"(?<![\d+])(?:\+33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
#: An SMS opt-out: the word STOP in capitals (the legal keyword of French marketing SMS).
_STOP = re.compile(r"\bSTOP\b")
#: A field the update must change, whatever its new value.
ANY = object()


@dataclass
class Statement:
    """Something the customer said that the file should now hold."""

    action: object
    client_id: int | None
    contacts: set[int]
    label: str
    #: Fields a client.updated must change: field → new value, or ANY; empty: any update.
    changes: dict
    #: Heard in the customer's words (a file that already holds it needs no update), rather
    #: than expected by the scenario (`expect: {client_update: …}`).
    heard: bool = False

    @property
    def fact(self) -> tuple[str, object]:
        """The one (field, value) a heard statement names."""
        return next(iter(self.changes.items()))


def wanted_changes(value) -> dict:
    """The changes an `expect: {client_update: …}` asks for (see crm/training/expectations.py)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return dict.fromkeys(value, ANY)
    return {}


def _said(action) -> str:
    payload = action.payload or {}
    return payload.get("text") or payload.get("body") or ""


def _free_text_facts(text: str, channel: str, own: set[str]) -> list[tuple[str, object]]:
    """New phone numbers and emails, and an SMS opt-out, found in the customer's words."""
    facts: list[tuple[str, object]] = []
    for match in _PHONE.finditer(text):
        number = normalize_phone(match.group())
        if number and number not in own and ("phones", number) not in facts:
            facts.append(("phones", number))
    for match in _EMAIL.finditer(text):
        email = match.group().lower()
        if email not in own and ("email", email) not in facts:
            facts.append(("email", email))
    if channel == "sms" and _STOP.search(text):
        facts.append(("consent_sms", False))
    return facts


def statements(evidence) -> list[Statement]:
    """What the customers said that belongs in their file, per call and conversation."""
    company = evidence.settings.get("company") or {}
    own = {normalize_phone(company.get("phone") or ""), (company.get("email") or "").lower()}
    owners = contact_clients(evidence)
    expected = {}
    for e in evidence.expectations_for("client_update"):
        where = ("call", e.call_id) if e.call_id is not None else ("message", e.conversation_id)
        expected[where] = wanted_changes(e.expect["client_update"])
    found: list[Statement] = []
    for facts in calls(evidence).values():
        client = facts.client_id or owners.get(facts.contact_id)
        contacts = {facts.contact_id} - {None}
        label = _("appel n° %(n)s", n=facts.id)
        wanted = expected.get(("call", facts.id))
        if wanted is not None and facts.start is not None and contacts:
            found.append(Statement(facts.start, client, contacts, label, wanted))
        for said in facts.customer_said:
            for kind, value in _free_text_facts(_said(said), "phone", own | {facts.number}):
                found.append(Statement(said, client, contacts, label, {kind: value}, True))
    for facts in conversations(evidence).values():
        if not facts.received:
            continue
        first = facts.received[0]
        label = _("message n° %(n)s", n=first.object_id)
        party = {normalize_phone(first.payload.get("party") or ""), first.payload.get("party")}
        wanted = expected.get(("message", facts.id))
        if wanted is not None:
            found.append(Statement(first, facts.client_id, facts.contact_ids, label, wanted))
        for received in facts.received:
            for kind, value in _free_text_facts(_said(received), facts.channel, own | party):
                found.append(
                    Statement(
                        received, facts.client_id, facts.contact_ids, label, {kind: value}, True
                    )
                )
    return sorted(found, key=lambda s: s.action.seq)


def _holds(update, name: str, value) -> bool:
    """Whether a client.updated changed this field (to this value, unless ANY)."""
    changes = (update.payload or {}).get("changes") or {}
    if name not in changes:
        return False
    new = (changes[name] or {}).get("new")
    if value is ANY:
        return True
    if name == "phones":
        return normalize_phone(value) in {
            normalize_phone(n) for n in new or [] if isinstance(n, str)
        }
    if name == "email":
        return (new or "").lower() == str(value).lower()
    return new == value


def _holds_all(update, changes: dict) -> bool:
    """Whether a client.updated made every change wanted (any update when none is named)."""
    return all(_holds(update, name, value) for name, value in changes.items())


def _file_holds(client: Client | None, kind: str, value) -> bool:
    """Whether the client's file holds a heard fact today (without an update: it already did)."""
    if client is None:
        return False
    if kind == "phones":
        return value in {p.e164 for p in client.phones}
    if kind == "email":
        return (client.email or "").lower() == value
    return getattr(client, kind, None) == value


def _describe(statement: Statement) -> str:
    if not statement.heard:
        return statement.label
    kind, value = statement.fact
    if kind == "consent_sms":
        what = _("demande STOP (plus de SMS)")
    elif kind == "phones":
        what = _("nouveau numéro %(value)s", value=value)
    else:
        what = _("nouvelle adresse e-mail %(value)s", value=value)
    return _("%(where)s, %(what)s", where=statement.label, what=what)


@register
class ClientFileUpdated(EvidenceRule):
    """What the customer said about themselves (contact details, consents, move) is in the file."""

    id = "client_file_updated"
    title = _l("Fiche client mise à jour avec ce que le client a dit")

    def evaluate(self, evidence):
        updates = evidence.of("client.updated")
        done, missing = [], []
        for statement in statements(evidence):
            candidates = [
                u
                for u in updates
                if u.seq > statement.action.seq
                and (
                    u.object_id == statement.client_id
                    or (u.interaction_type == "contact" and u.interaction_id in statement.contacts)
                )
            ]
            match = next((u for u in candidates if _holds_all(u, statement.changes)), None)
            if statement.heard and match is None:
                client = db.session.get(Client, statement.client_id or 0)
                if client is None or _file_holds(client, *statement.fact):
                    continue  # already in the file, or no file to update: nothing to expect
            if match is None:
                missing.append(statement)
            else:
                done.append((statement, match))
        if missing:
            items = [
                _(
                    "%(what)s (« %(words)s »)",
                    what=_describe(s),
                    words=quote(_said(s.action), 60),
                )
                if _said(s.action)
                else _describe(s)
                for s in missing
            ]
            return self.not_met(
                _("Fiche client non mise à jour : %(items)s.", items="; ".join(items)),
                [s.action for s in missing],
                met=[s.action for s, _m in done] + [m for _s, m in done],
                expected=len(missing) + len(done),
                updated=len(done),
            )
        if not done:
            return self.not_observed(
                _("Le client n'a rien dit dans cette tentative qui doive figurer dans sa fiche.")
            )
        items = [
            _("%(what)s → fiche %(client)s", what=_describe(s), client=m.payload.get("number"))
            for s, m in done
        ]
        return self.met(
            _(
                "Fiche client mise à jour après ce que le client a dit : %(items)s.",
                items="; ".join(items),
            ),
            [s.action for s, _m in done] + [m for _s, m in done],
            expected=len(done),
            updated=len(done),
        )
