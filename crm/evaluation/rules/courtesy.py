"""The candidate's own words: greeting and leave-taking, the customer's satisfaction checked.

These read what the candidate typed as their turns (`call.said`) and the emails they sent
(`message.sent`, kind reply). Words show that a formula was used, not how well: the rules are
aids to an evaluator who judges the manner, listed on judgement criteria.
"""

from __future__ import annotations

import re

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import calls, conversations
from crm.evaluation.rules.wording import fold, listing, quote
from crm.i18n import _, _l

#: A greeting, French or English (text folded: lower case, no accents).
GREETING = re.compile(r"\b(bonjour|bonsoir|allo|hello|good (morning|afternoon|evening)|hi)\b")
#: A leave-taking.
CLOSING = re.compile(
    r"\b(au revoir|bonne (journee|soiree|fin de journee|apres-midi|continuation|semaine)"
    r"|a (bientot|tres bientot)|goodbye|bye|have a (nice|good|great) (day|evening|afternoon))\b"
)
#: The written salutation and sign-off of an email.
EMAIL_OPENING = re.compile(r"\b(bonjour|madame|monsieur|cher|chere|hello|dear|hi)\b")
EMAIL_SIGN_OFF = re.compile(
    r"\b(cordialement|bien a vous|salutations|bonne (journee|soiree)|regards|sincerely"
    r"|best wishes|kind regards|yours)\b"
)
#: The candidate checking the customer is satisfied or has nothing else to ask.
SATISFACTION = re.compile(
    r"(autre chose|autres? questions?|ai-je (bien )?repondu|repondu a (votre|vos|toutes)"
    r"|(cela|ca) vous (convient|va)|est-ce (que c'est |)clair|satisfaite?s?\b"
    r"|puis-je (faire|vous aider) (autre|encore)|vous aider (pour|sur|en) (autre|quoi)"
    r"|anything else|any other question|does (that|this) (help|answer|suit)"
    r"|are you (happy|satisfied)|is there anything)"
)
#: How many of the candidate's last turns may hold the satisfaction check.
LAST_TURNS = 3


def _text(action) -> str:
    payload = action.payload or {}
    return payload.get("text") or payload.get("body") or ""


def call_words(facts, action) -> str:
    """« appel n° 3 (« Puis-je vous aider pour autre chose ? ») »."""
    return _("appel n° %(n)s (« %(words)s »)", n=facts.id, words=quote(_text(action), 50))


def email_replies(evidence):
    """Each email reply sent, with its conversation id."""
    for facts in conversations(evidence).values():
        if facts.channel != "email":
            continue
        for sent in facts.sent:
            if (sent.payload or {}).get("kind") == "reply":
                yield facts.id, sent


@register
class GreetingAndClosing(EvidenceRule):
    """Calls open with a greeting and end with a leave-taking; emails with salutation and
    sign-off."""

    id = "greeting_and_closing"
    title = _l("Salutations et prise de congé (appels et e-mails)")

    def evaluate(self, evidence):
        good, faults = [], []
        for facts in calls(evidence).values():
            if not facts.said or facts.end is None:
                continue  # nothing typed, or still talking: no closing to judge yet
            first, final = facts.said[0], facts.said[-1]
            missing = []
            if not GREETING.search(fold(_text(first))):
                missing.append(
                    _("pas de salutation (« %(words)s »)", words=quote(_text(first), 50))
                )
            if not CLOSING.search(fold(_text(final))):
                missing.append(
                    _("pas de prise de congé (« %(words)s »)", words=quote(_text(final), 50))
                )
            if missing:
                faults.append(
                    (first, _("appel n° %(n)s : %(what)s", n=facts.id, what=", ".join(missing)))
                )
            else:
                good += [first, final]
        for conversation, sent in email_replies(evidence):
            lines = [fold(line) for line in _text(sent).splitlines() if line.strip()] or [""]
            head, tail = " ".join(lines[:2]), " ".join(lines[-3:])
            missing = []
            if not EMAIL_OPENING.search(head):
                missing.append(_("pas de formule d'appel"))
            if not EMAIL_SIGN_OFF.search(tail):
                missing.append(_("pas de formule de politesse finale"))
            if missing:
                faults.append(
                    (
                        sent,
                        _(
                            "e-mail de la conversation n° %(n)s : %(what)s",
                            n=conversation,
                            what=", ".join(missing),
                        ),
                    )
                )
            else:
                good.append(sent)
        if faults:
            return self.not_met(
                _(
                    "Formules de courtoisie manquantes : %(items)s.",
                    items="; ".join(f for _a, f in faults),
                ),
                [a for a, _f in faults],
                met=good,
                faults=len(faults),
            )
        if not good:
            return self.not_observed(_("Aucun appel terminé ni e-mail envoyé par le conseiller."))
        return self.met(
            _(
                "Salutation et prise de congé présentes dans chaque appel et chaque e-mail "
                "(échanges : %(n)s).",
                n=len({a.id for a in good if a.verb == "message.sent"})
                + len({(a.payload or {}).get("call_id") for a in good if a.verb == "call.said"}),
            ),
            good,
        )


@register
class SatisfactionChecked(EvidenceRule):
    """Before ending a call, the candidate checks the customer is satisfied (nothing else)."""

    id = "satisfaction_checked"
    title = _l("Satisfaction du client vérifiée avant de conclure l'appel")

    def evaluate(self, evidence):
        checked, unchecked = [], []
        for facts in calls(evidence).values():
            if not facts.said or facts.end is None or not facts.customer_said:
                continue  # nobody to ask, or not over yet
            asked = next(
                (a for a in facts.said[-LAST_TURNS:] if SATISFACTION.search(fold(_text(a)))),
                None,
            )
            if asked is None:
                unchecked.append((facts, facts.said[-1]))
            else:
                checked.append((facts, asked))
        if unchecked:
            return self.not_met(
                _(
                    "Satisfaction non vérifiée en fin d'appel : %(items)s.",
                    items=listing([call_words(f, a) for f, a in unchecked]),
                ),
                [a for _f, a in unchecked],
                met=[a for _f, a in checked],
                calls=len(checked) + len(unchecked),
                checked=len(checked),
            )
        if not checked:
            return self.not_observed(_("Aucun appel terminé avec un échange."))
        return self.met(
            _(
                "Satisfaction vérifiée à la fin de chaque appel (%(n)s) : %(items)s.",
                n=len(checked),
                items=listing([call_words(f, a) for f, a in checked]),
            ),
            [a for _f, a in checked],
            calls=len(checked),
            checked=len(checked),
        )
