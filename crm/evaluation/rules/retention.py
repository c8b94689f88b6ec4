"""Retention: an offer within the rules before a cancellation, and the cancellation confirmed."""

from __future__ import annotations

from crm.evaluation.rules.base import EvidenceRule, register
from crm.i18n import _, _l, ngettext


def _by_contract(actions) -> dict:
    """The first action of each contract (by its id in the payload)."""
    found = {}
    for action in actions:
        found.setdefault(action.payload.get("contract_id"), action)
    return found


@register
class RetentionOfferBeforeCancel(EvidenceRule):
    """A contract is cancelled only after a retention offer of the pack was made on it.

    The services refuse offers outside the pack's rules (limits, eligible plans, seniority):
    an offer in the log is an offer within the rules.
    """

    id = "retention_offer_before_cancel"
    title = _l("Une offre de fidélisation conforme aux règles est proposée avant toute résiliation")

    def evaluate(self, evidence):
        offers = evidence.of("retention.offer_made")
        cancelled = evidence.of("contract.cancelled")
        if not offers and not cancelled:
            return self.not_observed(_("Aucune offre de fidélisation ni résiliation."))
        faults, kept = [], []
        for cancel in cancelled:
            before = [
                o
                for o in offers
                if o.payload.get("contract_id") == cancel.payload.get("contract_id")
                and o.seq < cancel.seq
            ]
            (kept.extend(before) if before else faults.append(cancel))
        if faults:
            numbers = ", ".join(a.payload.get("number", "") for a in faults)
            return self.not_met(
                _("Contrat résilié sans offre de fidélisation : %(numbers)s.", numbers=numbers),
                faults,
                met=kept,
                cancelled=len(cancelled),
                without_offer=len(faults),
            )
        retained = set(_by_contract(offers)) - {c.payload.get("contract_id") for c in cancelled}
        return self.met(
            ngettext(
                "%(num)s offre de fidélisation proposée avant de résilier ou pour garder le "
                "client.",
                "%(num)s offres de fidélisation proposées avant de résilier ou pour garder le "
                "client.",
                len(offers),
            ),
            offers,
            offers=len(offers),
            cancelled=len(cancelled),
            retained=len(retained),
        )


@register
class CancellationConfirmed(EvidenceRule):
    """Each cancellation registered is confirmed to the customer in writing (per procedure)."""

    id = "cancellation_confirmed"
    title = _l("Résiliation traitée selon la procédure : date d'effet et confirmation écrite")

    def evaluate(self, evidence):
        cancelled = evidence.of("contract.cancelled")
        if not cancelled:
            return self.not_observed(_("Aucune résiliation enregistrée."))
        confirmed = _by_contract(evidence.of("contract.cancellation_confirmed"))
        missing = [c for c in cancelled if c.payload.get("contract_id") not in confirmed]
        if missing:
            numbers = ", ".join(a.payload.get("number", "") for a in missing)
            return self.not_met(
                _("Résiliation sans confirmation écrite : %(numbers)s.", numbers=numbers),
                missing,
                met=[
                    confirmed[c.payload.get("contract_id")] for c in cancelled if c not in missing
                ],
                cancelled=len(cancelled),
                unconfirmed=len(missing),
            )
        return self.met(
            ngettext(
                "%(num)s résiliation enregistrée avec sa date d'effet et confirmée par écrit.",
                "%(num)s résiliations enregistrées avec leur date d'effet et confirmées par écrit.",
                len(cancelled),
            ),
            [*cancelled, *(confirmed[c.payload.get("contract_id")] for c in cancelled)],
            cancelled=len(cancelled),
        )
