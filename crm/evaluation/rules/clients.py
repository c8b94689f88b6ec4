"""The client file updated with what the customer said (new number, email, opt-out, move…)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.clients.models import Client
from crm.db import db
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import (
    calls,
    contact_clients,
    conversations,
    expectations,
    item_of_call,
    item_of_conversation,
    payload_matches,
)
from crm.evaluation.rules.wording import quote
from crm.i18n import _, _l
from crm.training.scenario_schema import normalize_phone

_PHONE = re.compile(r"(?<![\d+])(?:\+33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}")
#: An SMS opt-out: the word STOP in capitals (the legal keyword of French marketing SMS).
_STOP = re.compile(r"\bSTOP\b")


@dataclass
class Statement:
    """Something the customer said that the file should now hold."""

    action: object
    client_id: int | None
    contacts: set[int]
    label: str
    #: What a client.updated must hold (payload subset), or None: any update of the file.
    wanted: dict | None
    #: The fact the file holds once updated (checked on the file for free-text facts).
    fact: tuple[str, object] | None = None


def _said(action) -> str:
    payload = action.payload or {}
    return payload.get("text") or payload.get("body") or ""


def _free_text_facts(text: str, channel: str, own: set[str]) -> list[tuple[str, object]]:
    """New phone numbers and emails, and an SMS opt-out, found in the customer's words."""
    facts: list[tuple[str, object]] = []
    for match in _PHONE.finditer(text):
        number = normalize_phone(match.group())
        if number and number not in own and ("phone", number) not in facts:
            facts.append(("phone", number))
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
    found: list[Statement] = []
    for facts in calls(evidence).values():
        client = facts.client_id or owners.get(facts.contact_id)
        contacts = {facts.contact_id} - {None}
        label = _("appel n° %(n)s", n=facts.id)
        for wanted in expectations(item_of_call(evidence, facts), "client.updated"):
            if facts.start is not None and contacts:
                found.append(Statement(facts.start, client, contacts, label, wanted.get("payload")))
        for said in facts.customer_said:
            for fact in _free_text_facts(_said(said), "phone", own | {facts.number}):
                found.append(Statement(said, client, contacts, label, None, fact))
    for facts in conversations(evidence).values():
        if not facts.received:
            continue
        first = facts.received[0]
        label = _("message n° %(n)s", n=first.object_id)
        party = {normalize_phone(first.payload.get("party") or ""), first.payload.get("party")}
        item = item_of_conversation(evidence, facts.id)
        for wanted in expectations(item, "client.updated"):
            found.append(
                Statement(first, facts.client_id, facts.contact_ids, label, wanted.get("payload"))
            )
        for received in facts.received:
            for fact in _free_text_facts(_said(received), facts.channel, own | party):
                found.append(
                    Statement(received, facts.client_id, facts.contact_ids, label, None, fact)
                )
    return sorted(found, key=lambda s: s.action.seq)


def _holds(update, fact: tuple[str, object]) -> bool:
    """Whether a client.updated wrote this fact."""
    kind, value = fact
    changes = (update.payload or {}).get("changes") or {}
    if kind == "phone":
        new = (changes.get("phones") or {}).get("new") or []
        return value in {normalize_phone(n) for n in new if isinstance(n, str)}
    if kind == "email":
        return ((changes.get("email") or {}).get("new") or "").lower() == value
    return kind in changes and changes[kind].get("new") == value


def _file_holds(client: Client | None, fact: tuple[str, object]) -> bool:
    """Whether the client's file holds the fact today (then, without an update, it already did)."""
    if client is None:
        return False
    kind, value = fact
    if kind == "phone":
        return value in {p.e164 for p in client.phones}
    if kind == "email":
        return (client.email or "").lower() == value
    return getattr(client, kind, None) == value


def _describe(statement: Statement) -> str:
    if statement.fact is None:
        return statement.label
    kind, value = statement.fact
    if kind == "consent_sms":
        what = _("demande STOP (plus de SMS)")
    elif kind == "phone":
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
            if statement.fact is not None:
                match = next((u for u in candidates if _holds(u, statement.fact)), None)
                client = db.session.get(Client, statement.client_id or 0)
                if match is None and (client is None or _file_holds(client, statement.fact)):
                    continue  # already in the file, or no file to update: nothing to expect
            else:
                match = next(
                    (u for u in candidates if payload_matches(u.payload, statement.wanted or {})),
                    None,
                )
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
                [s.action for s in missing] + [m for _s, m in done],
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
