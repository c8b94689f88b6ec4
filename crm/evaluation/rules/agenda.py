"""Agenda rules: a callback booked whenever a customer asks for one; complete appointments."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from crm.clients.models import Client, ContactPerson
from crm.contacts.models import SalesRep
from crm.db import db
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import calls, contact_clients, conversations
from crm.evaluation.rules.regions import region_of, sector_regions
from crm.evaluation.rules.wording import contains_words, fold, local_time, moment, quote
from crm.i18n import _, _l, ngettext

#: A customer asking to be called back, French or English (text folded: no accents).
CALLBACK_ASKED = re.compile(
    r"\b(me|nous) (rappeler|rappelle|rappeliez|recontacter|recontacte)\b"
    r"|\b(rappelez|recontactez)[- ](moi|nous)\b"
    r"|\b(call|ring|phone) (me|us) back\b|\bcall me later\b"
)


@dataclass(frozen=True)
class CallbackRequest:
    """A customer asking to be called back, in one call or conversation (first time only)."""

    #: The customer's words (call.customer_said or message.received).
    asked: object
    #: The contacts of that call or conversation.
    contacts: frozenset[int]
    client_id: int | None
    label: str

    @property
    def words(self) -> str:
        return self.asked.payload.get("text") or self.asked.payload.get("body") or ""


def callback_requests(evidence) -> list[CallbackRequest]:
    """Each call or conversation where the customer asked to be called back."""
    found = []
    owners = contact_clients(evidence)
    for facts in calls(evidence).values():
        asked = next(
            (a for a in facts.customer_said if CALLBACK_ASKED.search(fold(a.payload.get("text")))),
            None,
        )
        if asked is not None:
            contacts = frozenset({facts.contact_id} - {None})
            client = facts.client_id or next((owners.get(c) for c in contacts), None)
            found.append(CallbackRequest(asked, contacts, client, _("appel n° %(n)s", n=facts.id)))
    for facts in conversations(evidence).values():
        asked = next(
            (a for a in facts.received if CALLBACK_ASKED.search(fold(a.payload.get("body")))),
            None,
        )
        if asked is not None:
            label = _("message n° %(n)s", n=asked.object_id)
            contacts = frozenset(facts.contact_ids - {None})
            found.append(CallbackRequest(asked, contacts, facts.client_id, label))
    return sorted(found, key=lambda r: r.asked.seq)


def _answers(callback, request: CallbackRequest) -> bool:
    """A callback booked in that call or conversation, or for that client after the request."""
    if callback.payload.get("contact_id") in request.contacts:
        return True
    client = request.client_id
    return (
        bool(client)
        and callback.payload.get("client_id") == client
        and (callback.seq > request.asked.seq)
    )


@register
class CallbackBookedWhenAsked(EvidenceRule):
    """Every customer who asks to be called back gets a callback in the agenda."""

    id = "callback_booked_when_asked"
    title = _l("Rappel programmé quand le client le demande")

    def evaluate(self, evidence):
        callbacks = evidence.of("callback.scheduled")
        booked, missed = [], []
        for request in callback_requests(evidence):
            match = next((c for c in callbacks if _answers(c, request)), None)
            if match is None:
                missed.append(request)
            else:
                booked.append((request.asked, match))
        if missed:
            items = [
                _("%(where)s (« %(words)s »)", where=r.label, words=quote(r.words)) for r in missed
            ]
            return self.not_met(
                _(
                    "Le client a demandé à être rappelé, aucun rappel programmé : %(items)s.",
                    items="; ".join(items),
                ),
                [r.asked for r in missed],
                met=[m for pair in booked for m in pair],
                asked=len(missed) + len(booked),
                booked=len(booked),
            )
        if not booked:
            return self.not_observed(_("Aucun client n'a demandé à être rappelé."))
        return self.met(
            ngettext(
                "%(num)s demande de rappel, suivie d'un rappel programmé (%(when)s).",
                "%(num)s demandes de rappel, chacune suivie d'un rappel programmé (%(when)s).",
                len(booked),
                when=", ".join(local_time(moment(m.payload.get("due_at"))) for _a, m in booked),
            ),
            [a for pair in booked for a in pair],
            asked=len(booked),
            booked=len(booked),
        )


#: An appointment's topic says what the meeting is about: at least this many words.
MIN_TOPIC_WORDS = 3


class AppointmentWorld:
    """The clients, their contact persons' names and the sales reps that the appointments of an
    evaluation name, read in three queries for them all (not three per appointment)."""

    def __init__(self, booked: list):
        payloads = [a.payload or {} for a in booked]
        client_ids = {p["client_id"] for p in payloads if p.get("client_id")}
        rep_ids = {p["rep_id"] for p in payloads if p.get("rep_id")}
        self.clients = {
            c.id: c for c in db.session.scalars(sa.select(Client).where(Client.id.in_(client_ids)))
        }
        self.people: dict[int, list[str]] = {i: [] for i in self.clients}
        for client_id, last_name in db.session.execute(
            sa.select(ContactPerson.client_id, ContactPerson.last_name).where(
                ContactPerson.client_id.in_(self.clients)
            )
        ):
            self.people[client_id].append(last_name)
        self.reps = {
            r.id: r for r in db.session.scalars(sa.select(SalesRep).where(SalesRep.id.in_(rep_ids)))
        }
        self._colleagues: dict[int, list[SalesRep]] = {}

    def colleagues(self, rep: SalesRep) -> list[SalesRep]:
        """Every rep of the rep's attempt (the sectors the company covers)."""
        if rep.attempt_id not in self._colleagues:
            self._colleagues[rep.attempt_id] = list(
                db.session.scalars(sa.select(SalesRep).where(SalesRep.attempt_id == rep.attempt_id))
            )
        return self._colleagues[rep.attempt_id]


def appointment_gaps(action, world: AppointmentWorld) -> list[str]:
    """What an appointment misses among its required fields (French phrases)."""
    payload = action.payload or {}
    topic = payload.get("topic") or ""
    gaps = []
    if len(fold(topic).split()) < MIN_TOPIC_WORDS:
        gaps.append(_("objet trop vague (« %(topic)s »)", topic=quote(topic, 40)))
    client = world.clients.get(payload.get("client_id")) if payload.get("client_id") else None
    if client is not None:
        names = [client.last_name, *world.people[client.id]]
        if not any(contains_words(topic, n) for n in names if n):
            gaps.append(_("nom de l'interlocuteur absent de l'objet"))
    if not payload.get("contact_id"):
        gaps.append(_("pris hors de tout contact avec le client"))
    rep = world.reps.get(payload.get("rep_id")) if payload.get("rep_id") else None
    region = region_of(client.postcode, client.country) if client is not None else None
    if rep is not None and region is not None:
        covered = any(region in sector_regions(r.region) for r in world.colleagues(rep))
        if covered and region not in sector_regions(rep.region):
            gaps.append(
                _(
                    "commercial hors secteur (%(rep)s : %(sector)s ; client en %(region)s)",
                    rep=rep.name,
                    sector=rep.region,
                    region=region,
                )
            )
    return gaps


@register
class AppointmentComplete(EvidenceRule):
    """Appointments booked with their required fields: precise topic, interlocutor, sector."""

    id = "appointment_complete"
    title = _l(
        "Rendez-vous pris avec les éléments requis (objet précis, interlocuteur, commercial "
        "du secteur)"
    )

    def evaluate(self, evidence):
        booked = evidence.of("appointment.booked")
        if not booked:
            return self.not_observed(_("Aucun rendez-vous pris dans cette tentative."))
        world = AppointmentWorld(booked)
        faults = [(a, gaps) for a in booked if (gaps := appointment_gaps(a, world))]
        if faults:
            items = [
                _(
                    "rendez-vous n° %(n)s du %(when)s : %(gaps)s",
                    n=a.object_id,
                    when=local_time(moment(a.payload.get("starts_at"))),
                    gaps=", ".join(gaps),
                )
                for a, gaps in faults
            ]
            return self.not_met(
                _("Rendez-vous incomplet : %(items)s.", items="; ".join(items)),
                [a for a, _g in faults],
                met=[a for a in booked if a not in {f[0] for f in faults}],
                appointments=len(booked),
                incomplete=len(faults),
            )
        return self.met(
            _(
                "%(n)s rendez-vous pris avec objet, interlocuteur et commercial du secteur.",
                n=len(booked),
            ),
            booked,
            appointments=len(booked),
        )
