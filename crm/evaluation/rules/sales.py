"""What the sales came to: substitutes sold, additional sales made, orders taken to the end.

Where `orders.py` checks what the candidate *proposed* (a substitute for each stock-out, an
additional sale on each order), these rules read what was *sold*: the lines of the orders as
confirmed (`order.confirmed` lists each line with `replaces` and `additional`).
"""

from __future__ import annotations

from collections import defaultdict

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.rules.wording import listing
from crm.i18n import _, _l


def _number(action) -> str:
    return str((action.payload or {}).get("number") or f"#{action.object_id}")


def final_confirmations(evidence: AttemptEvidence) -> dict[int, object]:
    """Each order's confirmation, by order id, unless the order was cancelled afterwards."""
    confirmed = {a.object_id: a for a in evidence.of("order.confirmed")}
    for cancelled in evidence.of("order.cancelled"):
        found = confirmed.get(cancelled.object_id)
        if found is not None and found.seq < cancelled.seq:
            del confirmed[cancelled.object_id]
    return confirmed


def settled_orders(evidence: AttemptEvidence) -> set[int]:
    """Orders whose fate is known: confirmed or cancelled."""
    return {a.object_id for a in evidence.of("order.confirmed", "order.cancelled")}


def why_unsold(offers: list) -> str:
    """Why a stock-out ended without a substitute sold, from the substitute offers made."""
    if not offers:
        return _("aucun substitut proposé")
    if not any(o.payload.get("accepted") for o in offers):
        return _("substitut refusé par le client")
    return _("aucun substitut sur la commande confirmée")


def sold_item(stockout, line: dict) -> str:
    """« PAP-A4-80-5 à la place de PAP-A4-90-5 (commande CMD-…) »."""
    return _(
        "%(sub)s à la place de %(sku)s (commande %(number)s)",
        sub=line.get("sku"),
        sku=stockout.payload.get("sku"),
        number=_number(stockout),
    )


@register
class SubstituteSold(EvidenceRule):
    """Each stock-out that had substitutes ends with a substitute on the confirmed order."""

    id = "substitute_sold"
    title = _l("Produit de substitution vendu pour chaque rupture")

    def evaluate(self, evidence: AttemptEvidence):
        stockouts: dict[tuple, object] = {}
        for action in evidence.of("order.out_of_stock"):
            if action.payload.get("substitutes"):
                stockouts.setdefault((action.object_id, action.payload.get("sku")), action)
        if not stockouts:
            return self.not_observed(_("Aucune rupture de stock rencontrée."))
        confirmed = final_confirmations(evidence)
        settled = settled_orders(evidence)
        offers = [a for a in evidence.of("offer.made") if a.payload.get("kind") == "substitute"]
        sold, unsold, pending = [], [], 0
        for (order_id, sku), stockout in stockouts.items():
            made = [
                o for o in offers if o.object_id == order_id and o.payload.get("for_sku") == sku
            ]
            confirmation = confirmed.get(order_id)
            lines = (confirmation.payload.get("lines") or []) if confirmation else []
            line = next((li for li in lines if li.get("replaces") == sku), None)
            if line is not None:
                accepted = [o for o in made if o.payload.get("accepted")]
                sold.append((stockout, line, [*accepted[:1], confirmation]))
            elif order_id in settled or evidence.final:
                unsold.append((stockout, made))
            else:
                pending += 1  # the order is still a draft: the sale may come
        figures = {"stockouts": len(stockouts), "sold": len(sold), "pending": pending}
        if unsold:
            items = [
                _(
                    "rupture de %(sku)s sur la commande %(number)s : %(why)s",
                    sku=s.payload.get("sku"),
                    number=_number(s),
                    why=why_unsold(made),
                )
                for s, made in unsold
            ]
            return self.not_met(
                _("Produit de substitution non vendu : %(items)s.", items="; ".join(items)),
                [a for s, made in unsold for a in (s, *made)],
                met=[a for _s, _line, _p2 in sold for a in _p2],
                met_text=(
                    _(
                        "Vendu : %(items)s.",
                        items=listing(
                            [f"{line.get('sku')} ← {s.payload.get('sku')}" for s, line, _p in sold]
                        ),
                    )
                    if sold
                    else None
                ),
                **figures,
            )
        if not sold:
            return self.not_observed(
                _("Ruptures sur des commandes encore en cours de saisie : %(n)s.", n=pending),
                **figures,
            )
        return self.met(
            _(
                "Substitut vendu à chaque rupture (%(n)s) : %(items)s.",
                n=len(sold),
                items=listing([sold_item(s, line) for s, line, _p in sold]),
            ),
            [a for _s, _line, _p2 in sold for a in _p2],
            **figures,
        )


@register
class AdditionalSaleMade(EvidenceRule):
    """An additional sale is realised: confirmed orders carry accepted additional lines."""

    id = "additional_sale_made"
    title = _l("Vente additionnelle réalisée")

    def evaluate(self, evidence: AttemptEvidence):
        confirmed = final_confirmations(evidence)
        if not confirmed:
            return self.not_observed(_("Aucune commande confirmée."))
        offers: dict[int, list] = defaultdict(list)  # by order: one look-up per order
        for offer in evidence.of("offer.made"):
            if offer.payload.get("kind") == "additional":
                offers[offer.object_id].append(offer)
        made, without = [], []
        for order_id, confirmation in confirmed.items():
            extra = [li for li in confirmation.payload.get("lines") or [] if li.get("additional")]
            if extra:
                accepted = [o for o in offers.get(order_id, ()) if o.payload.get("accepted")]
                made.append((confirmation, extra, accepted))
            else:
                refused = list(offers.get(order_id, ()))
                without.append((confirmation, refused))
        figures = {"orders": len(confirmed), "with_additional": len(made)}

        def described(pairs):
            return listing(
                [
                    _(
                        "commande %(number)s (%(skus)s)",
                        number=_number(c),
                        skus=", ".join(li.get("sku") for li in extra),
                    )
                    for c, extra, _o in pairs
                ]
            )

        missed = [a for c, refused in without for a in (c, *refused)]
        if made:
            text = _(
                "Vente additionnelle réalisée sur %(n)s des commandes confirmées (%(total)s en "
                "tout) : %(items)s.",
                n=len(made),
                total=len(confirmed),
                items=described(made),
            )
            if without:
                text += " " + _(
                    "Sans vente additionnelle : %(items)s.",
                    items=listing([_number(c) for c, _r in without]),
                )
            return self.met(
                text,
                [a for c, _e, accepted in made for a in (*accepted, c)],
                missed=missed,
                **figures,
            )
        refused = sum(len(r) for _c, r in without)
        return self.not_met(
            _(
                "Aucune vente additionnelle réalisée sur les commandes confirmées (%(n)s ; "
                "propositions refusées : %(refused)s) : %(items)s.",
                n=len(confirmed),
                refused=refused,
                items=listing([_number(c) for c, _r in without]),
            ),
            missed,
            **figures,
        )


@register
class OrdersCompleted(EvidenceRule):
    """Every order opened is taken to its end: confirmed or cancelled, never left a draft."""

    id = "orders_completed"
    title = _l("Commandes saisies jusqu'au bout (confirmées ou annulées, aucun brouillon laissé)")

    def evaluate(self, evidence: AttemptEvidence):
        created = evidence.of("order.created")
        if not created:
            return self.not_observed(_("Aucune commande saisie."))
        ends = {}
        for action in evidence.of("order.confirmed", "order.cancelled"):
            ends.setdefault(action.object_id, action)
        done, left = [], []
        for action in created:
            end = ends.get(action.object_id)
            if end is not None:
                done.append(end)
                continue
            trace = evidence.contact_of(action)
            closed = trace is not None and trace.qualified is not None
            if closed or evidence.final:
                left.append(action)
        if left:
            return self.not_met(
                _(
                    "Commande laissée en brouillon après le contact : %(items)s.",
                    items=listing([_number(a) for a in left]),
                ),
                left,
                met=done,
                orders=len(created),
                left=len(left),
            )
        if not done:
            return self.not_observed(_("Commandes encore en cours de saisie."))
        return self.met(
            _(
                "Commandes saisies jusqu'au bout : %(n)s (confirmées : %(confirmed)s, "
                "annulées : %(cancelled)s).",
                n=len(done),
                confirmed=sum(1 for a in done if a.verb == "order.confirmed"),
                cancelled=sum(1 for a in done if a.verb == "order.cancelled"),
            ),
            done,
            orders=len(created),
        )
