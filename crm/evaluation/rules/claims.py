"""Claims: opened with a category, and acknowledged to the customer (its number given); a
product's breakdown on a warranted order opened after the warranty was checked."""

from __future__ import annotations

import re

from crm.claims.models import CATEGORIES
from crm.db import db
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import cached
from crm.evaluation.rules.wording import fold
from crm.i18n import _, _l, ngettext
from crm.orders.models import Order


def _compact(text: str | None) -> str:
    """Letters and digits only, upper case: REC-2026-0001 ≈ « rec 2026 0001 »."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def gives_number(text: str, number: str) -> bool:
    """Whether a sentence gives the claim's number: whole (REC-2026-0001, « rec 2026 0001 »),
    or its sequence (« réclamation n° 0001 ») next to the word réclamation / claim."""
    if not number:
        return False
    if _compact(number) in _compact(text):
        return True
    sequence = number.rsplit("-", 1)[-1]
    folded = fold(text)
    named = "reclamation" in folded or "claim" in folded
    return named and re.search(rf"(?<!\d){re.escape(sequence)}(?!\d)", text) is not None


def acknowledgement(evidence, opened):
    """The first action after the claim that gives its number to the customer, if any."""
    number = opened.payload.get("number") or ""
    # What the candidate said or wrote, in log order: read once per evaluation, not per claim.
    spoken = cached(evidence, "said_or_written", lambda e: e.of("call.said", "message.sent"))
    for action in spoken:
        if action.seq <= opened.seq:
            continue
        payload = action.payload or {}
        said = " ".join(str(payload.get(k) or "") for k in ("text", "subject", "body"))
        if gives_number(said, number):
            return action
    return None


@register
class ClaimOpenedAndAcknowledged(EvidenceRule):
    """Each claim has a category, and its number is then said or written to the customer."""

    id = "claim_opened_and_acknowledged"
    title = _l("Réclamation ouverte avec une catégorie et accusé de réception au client")

    def evaluate(self, evidence):
        opened = evidence.of("claim.opened")
        if not opened:
            return self.not_observed(_("Aucune réclamation ouverte dans cette tentative."))
        proofs, faults = [], []
        for claim in opened:
            number = claim.payload.get("number")
            category = claim.payload.get("category")
            if category not in CATEGORIES:
                faults.append((claim, _("réclamation %(n)s sans catégorie", n=number)))
                continue
            ack = acknowledgement(evidence, claim)
            if ack is None:
                faults.append(
                    (
                        claim,
                        _(
                            "réclamation %(n)s (%(category)s) : numéro jamais communiqué au "
                            "client, ni dit ni écrit",
                            n=number,
                            category=CATEGORIES[category],
                        ),
                    )
                )
            else:
                proofs.append((claim, ack))
        if faults:
            return self.not_met(
                _("Réclamation non accusée : %(items)s.", items="; ".join(f for _c, f in faults)),
                [c for c, _f in faults],
                met=[a for pair in proofs for a in pair],
                claims=len(opened),
                acknowledged=len(proofs),
            )
        return self.met(
            ngettext(
                "%(num)s réclamation ouverte avec une catégorie, numéro communiqué au "
                "client : %(numbers)s.",
                "%(num)s réclamations ouvertes avec une catégorie, numéros communiqués au "
                "client : %(numbers)s.",
                len(proofs),
                numbers=", ".join(c.payload.get("number") for c, _a in proofs),
            ),
            [a for pair in proofs for a in pair],
            claims=len(opened),
            acknowledged=len(proofs),
        )


def has_warranty(order_id) -> bool:
    """Whether the order has a line whose product carries a warranty (one can be checked)."""
    order = db.session.get(Order, order_id) if order_id else None
    return order is not None and any(line.product.warranty_months for line in order.lines)


@register
class WarrantyCheckedBeforeRepairClaim(EvidenceRule):
    """A claim for a defective product on a warranted order follows the warranty's check."""

    id = "warranty_checked_before_repair_claim"
    title = _l("Garantie vérifiée avant d'ouvrir un dossier de panne")

    def evaluate(self, evidence):
        claims = [
            a
            for a in evidence.of("claim.opened")
            if a.payload.get("category") == "defective" and has_warranty(a.payload.get("order_id"))
        ]
        if not claims:
            return self.not_observed(
                _("Aucun dossier de panne sur une commande garantie dans cette tentative.")
            )
        checks = evidence.of("warranty.checked")
        proofs, faults = [], []
        for claim in claims:
            order_id = claim.payload.get("order_id")
            check = next((c for c in checks if c.object_id == order_id and c.seq < claim.seq), None)
            if check is None:
                faults.append(claim)
            else:
                proofs.append((check, claim))
        if faults:
            items = [
                _(
                    "dossier %(n)s (commande %(order)s) ouvert sans vérifier la garantie",
                    n=a.payload.get("number"),
                    order=a.payload.get("order_number"),
                )
                for a in faults
            ]
            return self.not_met(
                _("Garantie non vérifiée : %(items)s.", items="; ".join(items)),
                faults,
                met=[a for pair in proofs for a in pair],
                claims=len(claims),
                checked=len(proofs),
            )
        return self.met(
            ngettext(
                "%(num)s dossier de panne ouvert après vérification de la garantie : %(numbers)s.",
                "%(num)s dossiers de panne ouverts après vérification de la garantie : "
                "%(numbers)s.",
                len(proofs),
                numbers=", ".join(c.payload.get("number") for _w, c in proofs),
            ),
            [a for pair in proofs for a in pair],
            claims=len(claims),
            checked=len(proofs),
        )
