"""Section validator for what is under way with a client: promises to pay already made,
payment plans already granted, callbacks already promised (a collections pack starts there)."""

from __future__ import annotations

from decimal import Decimal

from crm.i18n import lazy as _l

from .problems import _join
from .structure import StructureChecks

_METHODS = ("card", "transfer", "cheque", "direct_debit")
_PROMISE_KEYS = ("made_on", "amount", "due_date", "method")
_PLAN_KEYS = ("agreed_on", "invoices", "installments")
_INSTALLMENT_KEYS = ("due_date", "amount", "status")
_CALLBACK_KEYS = ("due_at", "reason")


class CollectionSections(StructureChecks):
    """``invoices[].promises``, ``payment_plans`` and ``callbacks`` of a client."""

    def promises(self, invoice, where, owed: Decimal | None) -> None:
        """Promises made on an invoice: when, how much (≤ what is owed), by when, how."""
        for pw, promise in self.records(invoice, "promises", where, _PROMISE_KEYS, optional=True):
            made = self.date_spec(promise, "made_on", pw)
            due = self.date_spec(promise, "due_date", pw)
            self.not_before(made, due, _join(pw, "due_date"), _l("ne doit pas être avant made_on"))
            amount = self.money(promise, "amount", pw)
            if amount is not None and amount <= 0:
                self.add(_join(pw, "amount"), _l("doit être supérieur à 0.00"))
            elif amount is not None and owed is not None and amount > owed:
                self.add(
                    _join(pw, "amount"),
                    _l("%(amount)s dépasse ce qui est dû (%(owed)s)", amount=amount, owed=owed),
                )
            self.choice(promise, "method", pw, _METHODS)

    def payment_plans(self, client, where, owed: dict[str, Decimal]) -> None:
        """Plans granted on this client's invoices: installments in date order that add up to
        what the invoices still owe plus the installments already paid."""
        planned: dict = {}
        for pw, plan in self.records(client, "payment_plans", where, _PLAN_KEYS, optional=True):
            agreed = self.date_spec(plan, "agreed_on", pw)
            found = self.refs(
                plan, "invoices", pw, set(owed), _l("facture"),
                _l("ce client n'a pas cette facture"),
                non_empty=True,
            )  # fmt: skip
            numbers = [number for _path, number in found]
            for path, number in found:
                self.unique(path, number, planned, _l("facture dans un échéancier"))
            total, paid, previous = Decimal("0.00"), Decimal("0.00"), agreed
            seen_due = False
            records = self.records(plan, "installments", pw, _INSTALLMENT_KEYS, non_empty=True)
            for iw, item in records:
                due = self.date_spec(item, "due_date", iw)
                self.not_before(
                    previous, due, _join(iw, "due_date"), _l("les dates doivent croître")
                )
                previous = due or previous
                amount = self.money(item, "amount", iw)
                if amount is not None and amount <= 0:
                    self.add(_join(iw, "amount"), _l("doit être supérieur à 0.00"))
                status = self.choice(item, "status", iw, ("due", "paid"), optional=True)
                if status == "paid":
                    if seen_due:
                        self.add(
                            _join(iw, "status"), _l("une échéance payée après une échéance due")
                        )
                    paid += amount or 0
                else:
                    seen_due = True
                total += amount or 0
            if numbers and not self.problems:
                expected = sum((owed[n] for n in numbers if n in owed), Decimal("0.00")) + paid
                if total != expected:
                    self.add(
                        _join(pw, "installments"),
                        _l(
                            "totalisent %(total)s, attendu %(expected)s (le reste dû sur les "
                            "factures, plus les échéances déjà payées)",
                            total=total,
                            expected=expected,
                        ),
                    )

    def callbacks(self, client, where) -> None:
        """Callbacks already promised to the client: when, and why."""
        for cw, callback in self.records(client, "callbacks", where, _CALLBACK_KEYS, optional=True):
            self.datetime_spec(callback, "due_at", cw)
            self.text(callback, "reason", cw, max_len=300)
