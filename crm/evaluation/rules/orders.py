"""Rules about taking orders: substitutes, additional sales, recap, credit limit, confirmation."""

from __future__ import annotations

from collections import defaultdict

from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.i18n import N_, _, ngettext


def _order_number(action) -> str:
    return str((action.payload or {}).get("number") or f"#{action.object_id}")


def _more(text: str, others: int) -> str:
    """A sentence naming the first case, and how many others there are."""
    if others <= 0:
        return text
    return _("%(first)s (et %(n)s autre(s)).", first=text.rstrip("."), n=others)


def _offers(evidence: AttemptEvidence, kind: str) -> list:
    return [a for a in evidence.of("offer.made") if a.payload.get("kind") == kind]


def _by_order(actions, order_id=lambda a: a.object_id) -> dict[object, list]:
    """Actions grouped by the order they are about, each list in log order: a rule looks up
    one order's actions rather than scanning them all for every order."""
    grouped: dict[object, list] = defaultdict(list)
    for action in actions:
        grouped[order_id(action)].append(action)
    return grouped


def _first_seq_by_order(actions) -> dict[int, int]:
    """The log position (seq) of the first of these actions on each order."""
    first: dict[int, int] = {}
    for action in actions:
        first.setdefault(action.object_id, action.seq)
    return first


@register
class AdditionalSaleOffered(EvidenceRule):
    """An additional sale is offered on every confirmed order (systematic), before confirming."""

    id = "additional_sale_offered"
    title = N_("Vente additionnelle proposée sur chaque commande")

    def evaluate(self, evidence: AttemptEvidence):
        offers = _offers(evidence, "additional")
        figures = {
            "orders": 0,
            "offers": len(offers),
            "accepted": sum(1 for a in offers if a.payload.get("accepted")),
        }
        missing = []
        first_offer = _first_seq_by_order(offers)
        for confirmed in evidence.of("order.confirmed"):
            figures["orders"] += 1
            if first_offer.get(confirmed.object_id, confirmed.seq) >= confirmed.seq:
                missing.append(confirmed)
        for item in evidence.expectations_for("additional_sale"):
            trace = evidence.contacts.get(item.contact_id)
            if not item.expect["additional_sale"] or trace is None:
                continue
            orders = trace.did("order.created")
            offered = any(a.payload.get("kind") == "additional" for a in trace.did("offer.made"))
            if orders and not offered and orders[0].object_id not in {m.object_id for m in missing}:
                missing.append(orders[0])
        if missing:
            first = missing[0]
            return self.not_met(
                _more(
                    _(
                        "Commande %(number)s confirmée sans proposition de vente additionnelle.",
                        number=_order_number(first),
                    ),
                    len(missing) - 1,
                ),
                missing,
                met=[a for a in offers if a.object_id not in {m.object_id for m in missing}],
                **figures,
            )
        if not figures["orders"]:
            return self.not_observed(_("Aucune commande confirmée."), **figures)
        return self.met(
            ngettext(
                "Vente additionnelle proposée sur %(num)s commande confirmée : %(proposals)s, "
                "%(taken)s.",
                "Vente additionnelle proposée sur chacune des %(num)s commandes confirmées : "
                "%(proposals)s, %(taken)s.",
                figures["orders"],
                proposals=ngettext(
                    "%(num)s proposition", "%(num)s propositions", figures["offers"]
                ),
                taken=ngettext("%(num)s acceptée", "%(num)s acceptées", figures["accepted"]),
            ),
            offers,
            **figures,
        )


@register
class SubstituteOffered(EvidenceRule):
    """Each product found out of stock gets one of its substitutes offered (and, ideally, sold)."""

    id = "substitute_offered"
    title = N_("Produit de substitution proposé pour chaque rupture")

    def evaluate(self, evidence: AttemptEvidence):
        offers = _offers(evidence, "substitute")
        # A product may be tried several times on one order: one stock-out per (order, product).
        stockouts: dict[tuple, list] = defaultdict(list)
        for action in evidence.of("order.out_of_stock"):
            if action.payload.get("substitutes"):
                stockouts[(action.object_id, action.payload.get("product_id"))].append(action)
        figures = {
            "stockouts": len(stockouts),
            "offered": len(offers),
            "accepted": sum(1 for a in offers if a.payload.get("accepted")),
        }
        problems = []  # (sentence, actions)
        for (order_id, product_id), found in stockouts.items():
            if not any(
                a.object_id == order_id
                and a.payload.get("for_product_id") == product_id
                and a.seq > found[0].seq
                for a in offers
            ):
                problems.append(
                    (
                        _(
                            "Rupture de %(sku)s sur la commande %(number)s sans produit de "
                            "substitution proposé.",
                            sku=found[0].payload.get("sku"),
                            number=_order_number(found[0]),
                        ),
                        found,
                    )
                )
        for item in evidence.expectations_for("substitute"):
            trace = evidence.contacts.get(item.contact_id)
            if trace is None:
                continue
            sku = item.expect["substitute"]
            if not any(
                a.payload.get("kind") == "substitute" and a.payload.get("sku") == sku
                for a in trace.did("offer.made")
            ):
                done = trace.did("order.out_of_stock") or [trace.opened]
                if not any(set(map(id, done)) & set(map(id, acts)) for _t, acts in problems):
                    problems.append(
                        (
                            _(
                                "Contact n° %(id)s (%(item)s) : le produit de substitution "
                                "%(sku)s n'a pas été proposé.",
                                id=trace.id,
                                item=item.key,
                                sku=sku,
                            ),
                            done,
                        )
                    )
        if problems:
            return self.not_met(
                _more(problems[0][0], len(problems) - 1),
                [a for _t, acts in problems for a in acts],
                met=offers,
                **figures,
            )
        if not stockouts and not offers:
            return self.not_observed(_("Aucune rupture de stock rencontrée."), **figures)
        return self.met(
            ngettext(
                "Substitut proposé pour %(num)s rupture : %(proposals)s, %(sold)s.",
                "Substitut proposé pour chacune des %(num)s ruptures : %(proposals)s, %(sold)s.",
                figures["stockouts"],
                proposals=ngettext(
                    "%(num)s proposition", "%(num)s propositions", figures["offered"]
                ),
                sold=ngettext("%(num)s vendue", "%(num)s vendues", figures["accepted"]),
            ),
            offers,
            **figures,
        )


@register
class RecapBeforeConfirmation(EvidenceRule):
    """The recap of the order is read to the client, after the last change, before confirming."""

    id = "recap_before_confirmation"
    title = N_("Récapitulatif lu avant chaque confirmation de commande")

    def evaluate(self, evidence: AttemptEvidence):
        confirmed = evidence.of("order.confirmed")
        if not confirmed:
            return self.not_observed(_("Aucune commande confirmée."))
        recaps = _by_order(evidence.of("order.recap_read"))
        proofs, missing = [], []
        for action in confirmed:
            if not action.payload.get("recap_read"):
                missing.append(action)
                continue
            last = [r for r in recaps.get(action.object_id, ()) if r.seq < action.seq]
            proofs.extend([last[-1], action] if last else [action])
        figures = {"orders": len(confirmed), "recaps": len(confirmed) - len(missing)}
        if missing:
            return self.not_met(
                _more(
                    _(
                        "Commande %(number)s confirmée sans lecture du récapitulatif.",
                        number=_order_number(missing[0]),
                    ),
                    len(missing) - 1,
                ),
                missing,
                met=proofs,
                **figures,
            )
        return self.met(
            ngettext(
                "Récapitulatif lu avant %(num)s commande confirmée.",
                "Récapitulatif lu avant chacune des %(num)s commandes confirmées.",
                figures["orders"],
            ),
            proofs,
            **figures,
        )


@register
class CreditLimitHandled(EvidenceRule):
    """An order refused for the credit limit is then settled: reduced or paid, then confirmed, or
    cancelled — never left pending."""

    id = "credit_limit_handled"
    title = N_("Dépassement d'encours traité")

    def evaluate(self, evidence: AttemptEvidence):
        refusals = evidence.of("order.credit_refused")
        if not refusals:
            return self.not_observed(_("Aucun dépassement d'encours rencontré."))
        settled, left = [], []
        outcomes = _by_order(evidence.of("order.confirmed", "order.cancelled"))
        for refusal in refusals:
            after = [a for a in outcomes.get(refusal.object_id, ()) if a.seq > refusal.seq]
            if after:
                settled.extend([refusal, after[0]])
            else:
                left.append(refusal)
        if left:
            return self.not_met(
                _more(
                    _(
                        "Commande %(number)s refusée pour dépassement d'encours, laissée en "
                        "attente (ni réduite ou réglée puis confirmée, ni annulée).",
                        number=_order_number(left[0]),
                    ),
                    len(left) - 1,
                ),
                left,
                met=settled,
            )
        return self.met(
            ngettext(
                "Dépassement d'encours traité sur %(num)s commande (confirmée après "
                "ajustement ou annulée).",
                "Dépassement d'encours traité sur %(num)s commandes (confirmées après "
                "ajustement ou annulées).",
                len({r.object_id for r in refusals}),
            ),
            settled,
        )


@register
class WrittenConfirmationSent(EvidenceRule):
    """An order confirmed during a phone contact is confirmed to the client in writing."""

    id = "written_confirmation_sent"
    title = N_("Confirmation écrite envoyée après une vente par téléphone")

    def evaluate(self, evidence: AttemptEvidence):
        sales = []
        for action in evidence.of("order.confirmed"):
            trace = evidence.contact_of(action)
            if trace is not None and trace.channel == "phone":
                sales.append(action)
        wanted = {
            e.contact_id
            for e in evidence.expectations_for("written_confirmation")
            if e.expect["written_confirmation"] and e.contact_id is not None
        }
        if not sales and not wanted:
            return self.not_observed(_("Aucune vente conclue par téléphone."))
        sent = [
            a for a in evidence.of("message.sent") if a.payload.get("kind") == "order_confirmation"
        ]
        proofs, missing = [], []
        sent_for = _by_order(sent, lambda a: a.payload.get("order_id"))
        for sale in sales:
            found = [a for a in sent_for.get(sale.object_id, ()) if a.seq > sale.seq]
            if found:
                proofs.append(found[0])
            else:
                missing.append(sale)
        written = []  # the messages of the contacts the scenario expected to confirm in writing
        for contact_id in sorted(wanted):
            trace = evidence.contacts.get(contact_id)
            if trace is None or trace.did("order.confirmed"):
                continue
            sent_here = [a for a in trace.actions if a.verb == "message.sent"]
            if sent_here:
                written.append(sent_here[0])
            else:
                missing.append(trace.opened)
        if missing:
            first = missing[0]
            if first.verb == "contact.opened":
                text = _(
                    "Contact n° %(id)s : aucune commande confirmée ni confirmation écrite.",
                    id=first.object_id,
                )
            else:
                text = _(
                    "Commande %(number)s vendue par téléphone sans confirmation écrite au client.",
                    number=_order_number(first),
                )
            return self.not_met(_more(text, len(missing) - 1), missing, met=proofs)
        sentences = []
        if sales:
            sentences.append(
                ngettext(
                    "Confirmation écrite envoyée pour %(num)s vente par téléphone.",
                    "Confirmation écrite envoyée pour chacune des %(num)s ventes par téléphone.",
                    len(sales),
                )
            )
        if written:
            sentences.append(
                ngettext(
                    "Réponse écrite envoyée dans %(num)s contact qui l'attendait.",
                    "Réponse écrite envoyée dans chacun des %(num)s contacts qui l'attendaient.",
                    len(written),
                )
            )
        return self.met(" ".join(sentences), [*proofs, *written])
