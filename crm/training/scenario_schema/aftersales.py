"""Section validators for after-sales: the pack's rules (`after_sales`), and per historical
order its payment, its parcel with the carrier's events, and the day it was delivered."""

from __future__ import annotations

import re

from crm.aftersales.machines import CARRIER_EVENTS, INCIDENTS, replay
from crm.i18n import lazy as _l

from .problems import _join
from .structure import StructureChecks
from .values import _MISSING
from .vocabulary import CARD_BRANDS

PAYMENT_METHODS = ("card", "transfer", "cheque", "direct_debit")
_MASKED_CARD = re.compile(r"\d{6}\*{6}\d{4}")
_TRACKING = re.compile(r"[A-Z0-9]{8,40}")
_EVENT_KEYS = ("at", "kind", "incident", "place", "note")
_DELIVERY_KEYS = ("carrier", "tracking_number", "shipped_on", "expected_on", "events")


class AfterSalesSections(StructureChecks):
    """The ``after_sales`` rules and the after-sales keys of a client's orders."""

    def after_sales(self, data) -> None:
        """The adviser's delegation and the withdrawal period (never below the law's 14 days)."""
        value = self.take(data, "after_sales", "", True)
        if value is _MISSING:
            return
        keys = ("withdrawal_days", "goodwill_max", "goodwill_max_percent", "carriers")
        rules = self.mapping(value, "after_sales", keys)
        if rules is None:
            return
        self.integer(rules, "withdrawal_days", "after_sales", low=14, high=365, optional=True)
        self.money(rules, "goodwill_max", "after_sales", optional=True)
        self.integer(rules, "goodwill_max_percent", "after_sales", low=1, high=100, optional=True)
        for i, carrier in enumerate(self.seq(rules, "carriers", "after_sales", optional=True)):
            if not isinstance(carrier, str) or not carrier.strip() or len(carrier) > 40:
                self.add(
                    f"after_sales.carriers[{i}]",
                    _l("doit être le nom d'un transporteur (40 caractères au plus)"),
                )

    def order_after_sales(self, order: dict, where: str, status, trackings: dict) -> None:
        """An order's payment, parcel and delivery day, consistent with its status."""
        self._order_payment(order, where, status)
        delivered_on = self.date_spec(order, "delivered_on", where, optional=True)
        if delivered_on is not None and status not in ("delivered", "returned", None):
            self.add(
                _join(where, "delivered_on"),
                _l("seulement pour une commande livrée, pas %(status)s", status=repr(status)),
            )
        value = self.take(order, "delivery", where, True)
        if value is _MISSING:
            return
        path = _join(where, "delivery")
        delivery = self.mapping(value, path, _DELIVERY_KEYS)
        if delivery is None:
            return
        if status in ("draft", "confirmed", "paid", "cancelled"):
            self.add(
                path,
                _l(
                    "une commande %(status)s n'a pas été expédiée : pas de livraison",
                    status=repr(status),
                ),
            )
        self.text(delivery, "carrier", path, max_len=40)
        tracking = self.text(
            delivery, "tracking_number", path, pattern=_TRACKING,
            hint=_l("8 à 40 majuscules ou chiffres, par exemple '6A20458715632'"),
        )  # fmt: skip
        self.unique(_join(path, "tracking_number"), tracking, trackings, _l("numéro de suivi"))
        shipped = self.date_spec(delivery, "shipped_on", path)
        expected = self.date_spec(delivery, "expected_on", path, optional=True)
        self.not_before(shipped, expected, _join(path, "expected_on"), _l("est avant shipped_on"))
        kinds = []
        previous = None
        for ew, event in self.records(delivery, "events", path, _EVENT_KEYS, optional=True):
            at = self.datetime_spec(event, "at", ew)
            if previous and at and previous[0] == at[0] and at[1] < previous[1]:
                self.add(
                    _join(ew, "at"),
                    _l("est avant l'événement précédent : listez les événements dans l'ordre"),
                )
            previous = at or previous
            kind = self.choice(event, "kind", ew, CARRIER_EVENTS)
            incident = self.choice(event, "incident", ew, INCIDENTS, optional=True)
            if kind == "incident" and incident is None and "incident" not in event:
                self.add(
                    _join(ew, "incident"),
                    _l("obligatoire pour un incident : %(choices)s", choices=", ".join(INCIDENTS)),
                )
            if kind is not None and kind != "incident" and "incident" in event:
                self.add(_join(ew, "incident"), _l("seulement pour un événement de kind incident"))
            self.text(event, "place", ew, optional=True, max_len=120)
            self.text(event, "note", ew, optional=True)
            kinds.append(kind)
        if None in kinds:
            return
        final, refused = replay(kinds)
        if refused is not None:
            self.add(
                f"{path}.events[{refused}].kind",
                _l(
                    "%(kind)s ne peut pas suivre un colis dans l'état %(state)s",
                    kind=repr(kinds[refused]),
                    state=repr(final),
                ),
            )
        delivered = "delivered" in kinds
        if status == "delivered" and kinds and not delivered:
            self.add(
                _join(path, "events"),
                _l("la commande est livrée : ajoutez un événement 'delivered'"),
            )
        if status == "shipped" and delivered and final != "incident":
            self.add(
                _join(path, "events"),
                _l("un événement 'delivered' : la commande devrait être livrée (delivered)"),
            )

    def _order_payment(self, order: dict, where: str, status) -> None:
        """How a historical order was paid (a card by its masked form only)."""
        value = self.take(order, "payment", where, True)
        if value is _MISSING:
            if status == "paid":
                self.add(
                    _join(where, "payment"),
                    _l("obligatoire pour une commande payée : comment elle a été payée"),
                )
            return
        path = _join(where, "payment")
        payment = self.mapping(value, path, ("method", "masked_card", "card_brand"))
        if payment is None:
            return
        method = self.choice(payment, "method", path, PAYMENT_METHODS)
        self.text(
            payment, "masked_card", path, optional=method != "card", pattern=_MASKED_CARD,
            hint=_l(
                "les six premiers et quatre derniers chiffres autour de six étoiles, "
                "par exemple 497010******0019"
            ),
        )  # fmt: skip
        if method != "card" and "masked_card" in payment:
            self.add(_join(path, "masked_card"), _l("seulement pour un paiement par carte"))
        self.choice(payment, "card_brand", path, CARD_BRANDS, optional=True)
        if status in ("draft", "cancelled"):
            self.add(path, _l("une commande %(status)s n'a pas été payée", status=repr(status)))
