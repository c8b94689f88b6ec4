"""Payments taken per procedure: method, amount and allocation, card handling."""

from __future__ import annotations

import re

from crm.actionlog.verbs import VERBS
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import decimal, listing, money
from crm.i18n import _, _l, ngettext
from crm.payments.cards import card_brand
from crm.payments.services import METHOD_LABELS
from crm.training.scenario_schema import luhn_ok

#: The procedure: after three refused cards, stop insisting (offer a transfer or a callback).
MAX_CARD_REFUSALS = 3
#: Where a typed card number would be in clear: free text of these actions.
FREE_TEXT_VERBS = (
    "note.added",
    "contact.qualified",
    "client.updated",
    "claim.opened",
    "call.said",
    "message.sent",
)
_DIGIT_RUN = re.compile(r"(?<!\d)\d(?:[ \-.]?\d){12,18}(?!\d)")


def card_numbers_in(value) -> bool:
    """Whether free text (or any text in a payload) holds a plausible card number.

    15, 16 or 19 digits passing Luhn with a card brand's prefix: SIRET (14) and phone numbers
    (10) do not match.
    """
    if isinstance(value, dict):
        return any(card_numbers_in(v) for v in value.values())
    if isinstance(value, list):
        return any(card_numbers_in(v) for v in value)
    if not isinstance(value, str):
        return False
    for match in _DIGIT_RUN.finditer(value):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) in (15, 16, 19) and luhn_ok(digits) and card_brand(digits):
            return True
    return False


def target(payload: dict) -> tuple[str, str]:
    """The allocation of a payment: ("order", "CMD-…") or ("invoice", "FA-…")."""
    allocation = payload.get("allocation") or {}
    if allocation.get("invoice"):
        return "invoice", allocation["invoice"]
    return "order", allocation.get("order") or "?"


def describe(payload: dict) -> str:
    """carte bancaire, 120,00 € sur la commande CMD-2026-00012."""
    kind, number = target(payload)
    method = METHOD_LABELS.get(payload.get("method"), payload.get("method"))
    where = (
        _("sur la facture %(n)s", n=number)
        if kind == "invoice"
        else _("sur la commande %(n)s", n=number)
    )
    return f"{method}, {money(payload.get('amount'))} {where}"


@register
class PaymentPerProcedure(EvidenceRule):
    """Payments with method, amount and allocation per the company's procedure."""

    id = "payment_per_procedure"
    title = _l(
        "Règlement enregistré selon la procédure (mode, montant, affectation ; carte jamais "
        "saisie en clair)"
    )

    def evaluate(self, evidence):
        # A payment the scenario makes arrive (a transfer, system actor) is no candidate's work.
        payments = [
            a
            for a in evidence.of("payment.recorded", "payment.refused")
            if a.actor_role != "system"
        ]
        faults = []
        refusals: dict[tuple, int] = {}
        last_on_order = {}
        for action in payments:
            key = target(action.payload)
            if action.payload.get("method") == "card" and refusals.get(key, 0) >= MAX_CARD_REFUSALS:
                faults.append(
                    (
                        action,
                        _(
                            "nouvel essai de carte après %(n)s refus (%(what)s)",
                            n=refusals[key],
                            what=describe(action.payload),
                        ),
                    )
                )
            if action.verb == "payment.refused":
                refusals[key] = refusals.get(key, 0) + 1
            elif key[0] == "order":
                last_on_order[key] = action
        for action in last_on_order.values():
            left = decimal(action.payload.get("due_after"))
            if left > 0:
                faults.append(
                    (
                        action,
                        _(
                            "règlement n° %(n)s (%(what)s) partiel : %(left)s restent dus alors "
                            "qu'une commande se règle en totalité",
                            n=action.object_id,
                            what=describe(action.payload),
                            left=money(left),
                        ),
                    )
                )
        for action in evidence.of(*FREE_TEXT_VERBS):
            if action.actor_role != "customer" and card_numbers_in(action.payload):
                faults.append(
                    (
                        action,
                        _(
                            "numéro de carte saisi en clair (%(where)s)",
                            where=VERBS[action.verb].label,
                        ),
                    )
                )
        recorded = [a for a in payments if a.verb == "payment.recorded"]
        if faults:
            faults.sort(key=lambda f: f[0].seq)
            return self.not_met(
                _(
                    "Procédure de règlement non suivie : %(items)s.",
                    items="; ".join(f[1] for f in faults),
                ),
                [f[0] for f in faults],
                met=[a for a in recorded if a not in {f[0] for f in faults}],
                payments=len(recorded),
                refused=sum(refusals.values()),
                faults=len(faults),
            )
        if not recorded:
            if payments:
                return self.not_observed(
                    ngettext(
                        "%(num)s carte refusée, aucun règlement enregistré.",
                        "%(num)s cartes refusées, aucun règlement enregistré.",
                        len(payments),
                    ),
                    refused=len(payments),
                )
            return self.not_observed(_("Aucun règlement dans cette tentative."))
        items = [
            _("n° %(n)s (%(what)s)", n=a.object_id, what=describe(a.payload)) for a in recorded
        ]
        return self.met(
            ngettext(
                "%(num)s règlement enregistré selon la procédure : %(items)s.",
                "%(num)s règlements enregistrés selon la procédure : %(items)s.",
                len(recorded),
                items=listing(items),
            ),
            payments,
            payments=len(recorded),
            refused=sum(refusals.values()),
        )
