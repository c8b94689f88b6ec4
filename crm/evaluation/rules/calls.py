"""Telephony rules: calling rules, the opening of outbound calls, transfers to the right service."""

from __future__ import annotations

import re

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import calls
from crm.evaluation.rules.wording import contains_words, fold, listing, phone, quote
from crm.i18n import _, _l, ngettext
from crm.training.expectations import names_of


@register
class CallingRulesRespected(EvidenceRule):
    """No outbound call placed against the calling rules the phone warned about."""

    id = "calling_rules_respected"
    title = _l(
        "Règles d'appel respectées : opposition, plages légales, nombre de tentatives, "
        "60 jours après un refus"
    )

    def evaluate(self, evidence):
        dialed = evidence.of("call.dialed")
        warned = evidence.of("call.rules_warned")
        breached = evidence.of("call.rules_breached")
        if breached:
            items = [
                _(
                    "appel n° %(call)s vers le %(number)s (%(rules)s)",
                    call=a.payload.get("call_id"),
                    number=phone(a.payload.get("number")),
                    rules=" ".join(b.get("message", "") for b in a.payload.get("breaches", [])),
                )
                for a in breached
            ]
            return self.not_met(
                _("Appel passé malgré les règles d'appel : %(items)s.", items="; ".join(items)),
                breached,
                met=[
                    d
                    for d in dialed
                    if d.payload.get("call_id") not in {b.payload.get("call_id") for b in breached}
                ],
                breaches=len(breached),
                dialed=len(dialed),
            )
        if not dialed and not warned:
            return self.not_observed(_("Aucun appel sortant dans cette tentative."))
        sentence = ngettext(
            "%(num)s appel sortant composé dans le respect des règles d'appel.",
            "%(num)s appels sortants composés dans le respect des règles d'appel.",
            len(dialed),
        )
        if warned:
            sentence = ngettext(
                "%(sentence)s %(num)s appel abandonné après l'alerte des règles d'appel.",
                "%(sentence)s %(num)s appels abandonnés après l'alerte des règles d'appel.",
                len(warned),
                sentence=sentence,
            )
        return self.met(sentence, [*dialed, *warned], dialed=len(dialed), warned=len(warned))


#: The opening: the first sentence presents the agent and the company; the purpose may follow in
#: the next one (the charter asks for the right person first, then states why we call).
OPENING_TURNS = 2
#: Words that announce why we call (the purpose).
PURPOSE = re.compile(
    r"\b(je vous (appelle|contacte|telephone|rappelle)|je me permets|au sujet d|concernant"
    r"|a propos d|suite a|objet de mon appel|mon appel|pour vous (proposer|presenter|informer"
    r"|parler|faire part)|pour faire le point|afin de|je reviens vers vous"
    r"|pour (votre|vos|la|le|les) (commande|facture|compte|dossier|reglement|offre|besoin))"
)


def _candidate_names(evidence) -> list[str]:
    """The words of the candidate's name (first name first) that a greeting would carry."""
    user = evidence.attempt.candidate
    return [w for w in re.split(r"[\s\-]+", user.display_name or "") if len(w) >= 2]


@register
class OutboundOpeningStated(EvidenceRule):
    """An outbound call opens with the candidate's name and company, then the call's purpose.

    Name and company in the first typed sentence; the purpose in it or in the next one.
    """

    id = "outbound_opening_stated"
    title = _l(
        "Ouverture d'un appel sortant : le conseiller annonce son nom, la société et l'objet "
        "de l'appel"
    )

    def evaluate(self, evidence):
        company = (evidence.settings.get("company") or {}).get("name", "")
        names = _candidate_names(evidence)
        checked, faults = [], []
        for facts in calls(evidence).values():
            if facts.direction != "outbound":
                continue
            if not facts.said:
                if facts.customer_said:  # someone answered and heard nothing typed
                    checked.append(facts.start)
                    faults.append(
                        (
                            facts.start,
                            _("appel n° %(call)s : aucune phrase d'ouverture", call=facts.id),
                        )
                    )
                continue
            first = facts.said[0]
            text = first.payload.get("text", "")
            missing = []
            if not any(contains_words(text, n) for n in names):
                missing.append(_("votre nom"))
            if company and not contains_words(text, company):
                missing.append(_("la société (%(company)s)", company=company))
            purpose = next(
                (t for t in facts.said[:OPENING_TURNS] if PURPOSE.search(fold(t.payload["text"]))),
                None,
            )
            if purpose is None:
                missing.append(_("l'objet de l'appel"))
            checked += [first] if purpose in (None, first) else [first, purpose]
            if missing:
                faults.append(
                    (
                        first,
                        _(
                            "appel n° %(call)s, « %(words)s » : il manque %(missing)s",
                            call=facts.id,
                            words=quote(text),
                            missing=", ".join(missing),
                        ),
                    )
                )
        if not checked:
            return self.not_observed(_("Aucun appel sortant décroché dans cette tentative."))
        if faults:
            return self.not_met(
                _("Ouverture incomplète : %(items)s.", items="; ".join(f[1] for f in faults)),
                [f[0] for f in faults],
                met=[a for a in checked if a not in {f[0] for f in faults}],
                calls=len(checked),
                incomplete=len(faults),
            )
        return self.met(
            ngettext(
                "%(num)s appel sortant ouvert avec le nom du conseiller, la société et "
                "l'objet de l'appel.",
                "%(num)s appels sortants ouverts avec le nom du conseiller, la société et "
                "l'objet de l'appel.",
                len(checked),
            ),
            checked,
            calls=len(checked),
        )


def target_labels(evidence) -> dict[str, str]:
    """Transfer targets' labels: the scenario's, and those the log's transfers carry."""
    labels = {
        a.payload.get("target"): a.payload.get("target_label")
        for a in evidence.of("call.transferred")
        if a.payload.get("target_label")
    }
    for target in evidence.settings.get("transfer_targets") or []:
        if isinstance(target, dict) and target.get("key"):
            labels[target["key"]] = target.get("label") or target["key"]
    return labels


@register
class TransferToRightService(EvidenceRule):
    """Calls the scenario means for a colleague are transferred to that colleague's service."""

    id = "transfer_to_right_service"
    title = _l("Appel transféré au bon service")

    def evaluate(self, evidence):
        labels = target_labels(evidence)
        known = calls(evidence)
        wanted_by_call = {
            e.call_id: names_of(e.expect["transfer"])
            for e in evidence.expectations_for("transfer")
            if e.call_id in known
        }
        good, bad = [], []
        for facts in known.values():
            wanted = wanted_by_call.get(facts.id)
            # A call never answered was missed, not misrouted (the KPIs count it).
            if not wanted or (facts.direction == "inbound" and facts.answered is None):
                continue
            expected = listing([labels.get(w, w) for w in wanted])
            if facts.transferred is None:
                if facts.end is None:
                    continue  # still on the line: nothing decided yet
                bad.append(
                    (
                        facts.end,
                        _(
                            "appel n° %(call)s terminé sans transfert (attendu : %(expected)s)",
                            call=facts.id,
                            expected=expected,
                        ),
                    )
                )
                continue
            target = facts.transferred.payload.get("target")
            if target in wanted:
                good.append(facts.transferred)
            else:
                bad.append(
                    (
                        facts.transferred,
                        _(
                            "appel n° %(call)s transféré à %(target)s au lieu de %(expected)s",
                            call=facts.id,
                            target=labels.get(target, target),
                            expected=expected,
                        ),
                    )
                )
        if bad:
            return self.not_met(
                _("Transfert erroné : %(items)s.", items="; ".join(b[1] for b in bad)),
                [b[0] for b in bad],
                met=good,
                right=len(good),
                wrong=len(bad),
            )
        if not good:
            return self.not_observed(
                _("Aucun appel de la tentative ne devait être transféré à un service.")
            )
        targets = [
            _(
                "n° %(call)s à %(target)s",
                call=a.payload.get("call_id"),
                target=a.payload.get("target_label") or a.payload.get("target"),
            )
            for a in good
        ]
        return self.met(
            ngettext(
                "%(num)s appel transféré au bon service : %(targets)s.",
                "%(num)s appels transférés au bon service : %(targets)s.",
                len(good),
                targets=listing(targets),
            ),
            good,
            right=len(good),
        )
