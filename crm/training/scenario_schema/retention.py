"""Section validators for retention: the pack's offers and notice (`retention`), and the
contracts (subscriptions) of each client that an adviser may keep or cancel."""

from __future__ import annotations

from crm.i18n import lazy as _l

from .formats import _CODE, _CODE_HINT, _SLUG, _SLUG_HINT
from .problems import _join
from .structure import StructureChecks
from .values import _MISSING, _raw
from .vocabulary import _LEN

OFFER_KINDS = ("discount", "free_months")
_OFFER_KEYS = ("key", "label", "kind", "percent", "months", "plans", "min_months")
_CONTRACT_KEYS = ("number", "plan", "monthly_price", "started_on", "commitment_ends_on")


class RetentionSections(StructureChecks):
    """The ``retention`` block and the ``contracts`` of client files."""

    def retention(self, data) -> None:
        """Offers with their limits and who may receive them, and the cancellation notice."""
        value = self.take(data, "retention", "", True)
        if value is _MISSING:
            return
        block = self.mapping(value, "retention", ("notice_days", "offers"))
        if block is None:
            return
        self.integer(block, "notice_days", "retention", low=0, high=365, optional=True)
        keys: dict = {}
        for where, offer in self.records(block, "offers", "retention", _OFFER_KEYS, non_empty=True):
            self.text(offer, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), _raw(offer, "key"), keys, _l("clé d'offre"))
            self.text(offer, "label", where, max_len=_LEN["label"])
            kind = self.choice(offer, "kind", where, OFFER_KINDS)
            if kind == "discount":
                self.integer(offer, "percent", where, low=1, high=100)
                self.integer(offer, "months", where, low=1, high=36)
            elif kind == "free_months":
                if "percent" in offer:
                    self.add(_join(where, "percent"), _l("seulement pour une offre discount"))
                self.integer(offer, "months", where, low=1, high=12)
            self.integer(offer, "min_months", where, low=1, high=240, optional=True)
            for i, plan in enumerate(self.seq(offer, "plans", where, optional=True)):
                if not isinstance(plan, str) or not plan.strip() or len(plan) > _LEN["label"]:
                    self.add(
                        f"{where}.plans[{i}]",
                        _l("doit être le nom d'une formule (120 caractères au plus)"),
                    )

    def contracts(self, client, where, numbers: dict) -> None:
        """A client's contracts: number (unique in the pack), plan, price, dates in order."""
        for cw, contract in self.records(client, "contracts", where, _CONTRACT_KEYS, optional=True):
            self.text(
                contract, "number", cw, max_len=_LEN["number"], pattern=_CODE, hint=_CODE_HINT
            )
            self.unique(
                _join(cw, "number"), _raw(contract, "number"), numbers, _l("numéro de contrat")
            )
            self.text(contract, "plan", cw, max_len=_LEN["label"])
            self.money(contract, "monthly_price", cw)
            started = self.date_spec(contract, "started_on", cw)
            ends = self.date_spec(contract, "commitment_ends_on", cw, optional=True)
            self.not_before(
                started,
                ends,
                _join(cw, "commitment_ends_on"),
                _l("ne doit pas être avant started_on"),
            )

    def offer_plans(self, data) -> None:
        """Each plan an offer is reserved for is the plan of some contract of the pack."""
        block = data.get("retention")
        if not isinstance(block, dict) or not isinstance(block.get("offers"), list):
            return
        held = {
            c.get("plan")
            for client in data.get("clients") or []
            if isinstance(client, dict) and isinstance(client.get("contracts"), list)
            for c in client["contracts"]
            if isinstance(c, dict)
        }
        for i, offer in enumerate(block["offers"]):
            plans = offer.get("plans") if isinstance(offer, dict) else None
            for j, plan in enumerate(plans if isinstance(plans, list) else []):
                if isinstance(plan, str) and plan not in held:
                    self.add(
                        f"retention.offers[{i}].plans[{j}]",
                        _l(
                            "formule %(plan)s introuvable : aucun contrat du pack ne l'a",
                            plan=repr(plan),
                        ),
                    )
