"""Knowledge base: an article read before answering a request for information."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import cached, calls, conversations
from crm.evaluation.rules.wording import listing
from crm.i18n import _, _l, ngettext
from crm.training.expectations import names_of

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


def expected_slugs(value) -> set[str]:
    """The articles an `expect: {kb_articles: …}` accepts (any of them); empty: any article."""
    return set() if value is True else set(names_of(value))


def requests(evidence) -> list[InformationRequest]:
    """Calls and conversations the scenario marks as information requests, and INFO contacts."""
    found, covered = [], set()
    known_calls, known_conversations = calls(evidence), conversations(evidence)
    for expectation in evidence.expectations_for("kb_articles"):
        slugs = expected_slugs(expectation.expect["kb_articles"])
        if expectation.call_id is not None:
            facts = known_calls.get(expectation.call_id)
            if facts is None or facts.start is None or facts.contact_id is None:
                continue
            contacts = {facts.contact_id}
            label = _("appel n° %(n)s", n=facts.id)
            found.append(InformationRequest(label, facts.start, facts.end, contacts, slugs))
        else:
            talk = known_conversations.get(expectation.conversation_id)
            if talk is None or not talk.received:
                continue
            replies = [a for a in talk.sent if a.payload.get("kind") == "reply"]
            answer = next(iter(sorted(replies + talk.resolved, key=lambda a: a.seq)), None)
            contacts = talk.contact_ids
            label = _("message n° %(n)s", n=talk.received[0].object_id)
            found.append(InformationRequest(label, talk.received[0], answer, contacts, slugs))
        covered |= contacts
    opened = {a.object_id: a for a in evidence.of("contact.opened")}
    for qualified in evidence.of("contact.qualified"):
        contact = qualified.object_id
        if qualified.payload.get("code") in INFORMATION_CODES and contact not in covered:
            start = opened.get(contact, evidence.actions[0])
            label = _("contact n° %(n)s", n=contact)
            found.append(InformationRequest(label, start, qualified, {contact}))
    return sorted(found, key=lambda r: r.start.seq)


def _kb_reads(evidence) -> tuple[list, list[int]]:
    """The articles read, in log order, and their log positions (seq) for a binary search."""
    reads = evidence.of("kb.read")
    return reads, [a.seq for a in reads]


def reads_for(evidence, request: InformationRequest) -> list:
    """Articles read while the request was being answered (in its contact, or outside any)."""
    reads, seqs = cached(evidence, "kb_reads", _kb_reads)
    # Only the reads between the request and its answer: found by bisection, not a scan of
    # every read for every request.
    start = bisect_right(seqs, request.start.seq)
    end = bisect_left(seqs, request.answer.seq) if request.answer is not None else len(seqs)
    return [
        a
        for a in reads[start:end]
        if a.interaction_type != "contact" or a.interaction_id in request.contacts
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
                met=[a for _r, reads in good for a in reads] + [r.answer for r, _reads in good],
                requests=len(good) + len(bad),
                consulted=len(good),
            )
        if not good:
            return self.not_observed(
                _("Aucune demande d'information traitée dans cette tentative.")
            )
        return self.met(
            ngettext(
                "%(num)s réponse d'information préparée avec la base : %(items)s.",
                "%(num)s réponses d'information préparées avec la base : %(items)s.",
                len(good),
                items=listing([f"{r.label} ({reads[0].payload.get('slug')})" for r, reads in good]),
            ),
            [a for _r, reads in good for a in reads] + [r.answer for r, _reads in good],
            requests=len(good),
            consulted=len(good),
        )
