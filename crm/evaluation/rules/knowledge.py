"""Knowledge base: an article read before answering a request for information."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import (
    calls,
    conversations,
    expectations,
    item_of_call,
    item_of_conversation,
)
from crm.evaluation.rules.wording import listing
from crm.i18n import _, _l

#: Qualification codes that close a request for information.
INFORMATION_CODES = ("INFO",)


@dataclass
class InformationRequest:
    """A request for information, the window in which the answer was prepared, what it needs."""

    label: str
    start: object
    #: The answer (a reply, the call's end, the qualification); None while not answered.
    answer: object | None
    contacts: set[int] = field(default_factory=set)
    #: Articles the scenario expects (any of them); empty: any article.
    slugs: set[str] = field(default_factory=set)


def expected_slugs(item: dict | None) -> set[str] | None:
    """The articles a scenario item expects read (expectations and script steps); None: none."""
    if not item:
        return None
    wanted = expectations(item, "kb.read")
    for step in item.get("script") or []:
        if isinstance(step, dict) and step.get("type") == "wait_for_action":
            actions = step.get("action")
            actions = actions if isinstance(actions, list) else [actions]
            wanted += [a for a in actions if isinstance(a, dict) and a.get("verb") == "kb.read"]
    if not wanted:
        return None
    return {s for w in wanted if (s := (w.get("payload") or {}).get("slug"))}


def requests(evidence) -> list[InformationRequest]:
    """Calls and conversations the scenario marks as information requests, and INFO contacts."""
    found, covered = [], set()
    for facts in calls(evidence).values():
        slugs = expected_slugs(item_of_call(evidence, facts))
        if slugs is None or facts.start is None or facts.contact_id is None:
            continue
        contacts = {facts.contact_id}
        covered |= contacts
        label = _("appel n° %(n)s", n=facts.id)
        found.append(InformationRequest(label, facts.start, facts.end, contacts, slugs))
    for facts in conversations(evidence).values():
        slugs = expected_slugs(item_of_conversation(evidence, facts.id))
        if slugs is None or not facts.received:
            continue
        replies = [a for a in facts.sent if a.payload.get("kind") == "reply"]
        answer = next(iter(sorted(replies + facts.resolved, key=lambda a: a.seq)), None)
        covered |= facts.contact_ids
        label = _("message n° %(n)s", n=facts.received[0].object_id)
        found.append(InformationRequest(label, facts.received[0], answer, facts.contact_ids, slugs))
    opened = {a.object_id: a for a in evidence.of("contact.opened")}
    for qualified in evidence.of("contact.qualified"):
        contact = qualified.object_id
        if qualified.payload.get("code") in INFORMATION_CODES and contact not in covered:
            start = opened.get(contact, evidence.actions[0])
            label = _("contact n° %(n)s", n=contact)
            found.append(InformationRequest(label, start, qualified, {contact}))
    return sorted(found, key=lambda r: r.start.seq)


def reads_for(evidence, request: InformationRequest) -> list:
    """Articles read while the request was being answered (in its contact, or outside any)."""
    end = request.answer.seq if request.answer is not None else None
    return [
        a
        for a in evidence.of("kb.read")
        if a.seq > request.start.seq
        and (end is None or a.seq < end)
        and (a.interaction_type != "contact" or a.interaction_id in request.contacts)
    ]


@register
class KnowledgeBaseConsulted(EvidenceRule):
    """An article of the knowledge base (the right one, when the scenario says) read first."""

    id = "knowledge_base_consulted"
    title = _l("Base de connaissances consultée avant une réponse d'information")

    def evaluate(self, evidence):
        good, bad = [], []
        for request in requests(evidence):
            if request.answer is None:
                continue  # not answered yet: nothing to judge
            reads = reads_for(evidence, request)
            right = [
                a for a in reads if not request.slugs or a.payload.get("slug") in request.slugs
            ]
            if right:
                good.append((request, right))
                continue
            expected = listing(sorted(request.slugs)) if request.slugs else None
            if reads:
                reason = _(
                    "%(where)s : article lu %(read)s, attendu %(expected)s",
                    where=request.label,
                    read=listing([a.payload.get("slug") for a in reads]),
                    expected=expected,
                )
            elif expected:
                reason = _(
                    "%(where)s : réponse sans consulter la base (article attendu : %(expected)s)",
                    where=request.label,
                    expected=expected,
                )
            else:
                reason = _("%(where)s : réponse sans consulter la base", where=request.label)
            bad.append((request, reads, reason))
        if bad:
            return self.not_met(
                _(
                    "Base de connaissances non consultée : %(items)s.",
                    items="; ".join(b[2] for b in bad),
                ),
                [r.answer for r, _reads, _why in bad] + [a for _r, reads, _w in bad for a in reads],
                requests=len(good) + len(bad),
                consulted=len(good),
            )
        if not good:
            return self.not_observed(
                _("Aucune demande d'information traitée dans cette tentative.")
            )
        return self.met(
            _(
                "%(n)s réponse(s) d'information préparée(s) avec la base : %(items)s.",
                n=len(good),
                items=listing([f"{r.label} ({reads[0].payload.get('slug')})" for r, reads in good]),
            ),
            [a for _r, reads in good for a in reads] + [r.answer for r, _reads in good],
            requests=len(good),
            consulted=len(good),
        )
