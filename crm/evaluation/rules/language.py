"""Written replies in the exchange's language (MC ACVAD 3.2: messages in French and in English)."""

from __future__ import annotations

import re

from crm.evaluation.rules.base import EvidenceRule, register
from crm.i18n import _, _l

#: Short words that only one of the two languages uses often: enough to tell a reply's language
#: apart without a dictionary (names, numbers and product words count for neither).
_WORDS = {
    "en": frozenset(
        re.findall(
            r"\S+",
            "the and you your we our is are be will have has of to for with this that it "
            "please thank thanks regards dear hello hi would could can not from at on by an",
        )
    ),
    "fr": frozenset(
        re.findall(
            r"\S+",
            "le la les et vous votre vos nous notre est sont sera avons avez de des du pour "
            "avec ce cette cela il elle merci cordialement bonjour madame monsieur une un au "
            "aux sur par pas ne que qui",
        )
    ),
}
_TOKEN = re.compile(r"[a-zàâçéèêëîïôûùüÿœ']+")
#: Below this many telling words a reply is too short to judge (« OK », a number…).
_ENOUGH = 3
_NAMES = {"en": _l("anglais"), "fr": _l("français")}


def reply_language(text: str) -> str | None:
    """ "en", "fr", or None when the text says too little to tell."""
    words = [w.strip("'") for w in _TOKEN.findall(text.lower())]
    counts = {lang: sum(1 for w in words if w in known) for lang, known in _WORDS.items()}
    best = max(counts, key=counts.get)
    other = min(counts, key=counts.get)
    if counts[best] < _ENOUGH or counts[best] < 2 * counts[other]:
        return None
    return best


@register
class RepliesInExchangeLanguage(EvidenceRule):
    """Each written reply is in the language the customer wrote in (French or English)."""

    id = "replies_in_exchange_language"
    title = _l("Réponses écrites dans la langue du client")

    def evaluate(self, evidence):
        sent = [a for a in evidence.of("message.sent") if a.actor_role != "customer"]
        judged, faults = [], []
        for action in sent:
            payload = action.payload or {}
            expected = payload.get("language")
            found = reply_language(f"{payload.get('subject') or ''}\n{payload.get('body') or ''}")
            if expected not in _NAMES or found is None:
                continue
            judged.append(action)
            if found != expected:
                faults.append(action)
        if not judged:
            return self.not_observed(
                _("Aucune réponse écrite assez longue pour en juger la langue.")
            )
        english = sum(1 for a in judged if (a.payload or {}).get("language") == "en")
        figures = {"replies": len(judged), "in_english": english}
        if faults:
            items = "; ".join(
                _(
                    "message n° %(n)s écrit en %(found)s à un client qui écrit en %(expected)s",
                    n=a.object_id,
                    found=_NAMES[reply_language(a.payload.get("body") or "") or "fr"],
                    expected=_NAMES[a.payload["language"]],
                )
                for a in faults
            )
            return self.not_met(
                _("Réponse dans une autre langue que celle du client : %(items)s.", items=items),
                faults,
                met=[a for a in judged if a not in faults],
                **figures,
            )
        return self.met(
            _(
                "Réponses écrites dans la langue du client : %(n)s, dont %(en)s en anglais.",
                n=len(judged),
                en=english,
            ),
            judged,
            **figures,
        )
