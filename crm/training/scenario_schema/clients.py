"""Section validator for client and prospect files: identity, contacts, orders and invoices."""

from __future__ import annotations

import re

from crm import channels
from crm.i18n import lazy as _l
from crm.phones import normalize_phone

from .formats import _CODE, _CODE_HINT
from .problems import _describe, _join, _short
from .structure import StructureChecks
from .values import _MISSING, _raw
from .vocabulary import _LEN, ORDER_STATUSES

_CLIENT_KEYS = (
    "number", "kind", "segment", "company_name", "siret", "title", "first_name", "last_name",
    "email", "phones", "address", "birth_date", "credit_limit", "payment_terms_days", "consent",
    "do_not_call", "notes", "contact_persons", "orders", "invoices", "contacts",
    "payment_plans", "callbacks", "contracts",
)  # fmt: skip


class ClientSections(StructureChecks):
    """The ``clients`` section: each file's identity and history."""

    def clients(self, data, skus: set[str], codes: set[str]) -> None:
        """Client and prospect files with their history; numbers are unique scenario-wide."""
        numbers: dict = {}
        invoices: dict = {}
        phones: dict = {}
        order_owner: dict[str, str] = {}  # order number -> path of the client that holds it
        pending = []  # invoice -> order references, resolved once every order is known
        trackings: dict = {}  # tracking number -> path of the parcel that has it
        contracts: dict = {}  # contract number -> path of the contract
        for where, client in self.records(data, "clients", "", _CLIENT_KEYS, non_empty=True):
            self.text(
                client, "number", where, max_len=_LEN["client"], pattern=_CODE, hint=_CODE_HINT
            )
            self.unique(
                _join(where, "number"), _raw(client, "number"), numbers, _l("numéro de client")
            )
            self.identity(client, where)
            for i, raw in enumerate(self.seq(client, "phones", where, non_empty=True)):
                phone_path = f"{where}.phones[{i}]"
                e164 = normalize_phone(raw)
                if not isinstance(raw, str):
                    self.add(
                        phone_path,
                        _l(
                            "doit être un numéro de téléphone écrit en texte, pas %(value)s",
                            value=_describe(raw),
                        ),
                    )
                elif e164 is None:
                    self.add(
                        phone_path,
                        _l(
                            "%(value)s n'est pas un numéro de téléphone français",
                            value=_short(raw),
                        ),
                    )
                elif e164 in phones:
                    # Inbound calls open the file matching the caller's number: keep it unique.
                    self.add(
                        phone_path,
                        _l(
                            "%(value)s est déjà le numéro de %(other)s",
                            value=raw,
                            other=phones[e164],
                        ),
                    )
                else:
                    phones[e164] = phone_path
            person_keys = ("first_name", "last_name", "role", "phone", "email", "gatekeeper")
            for pw, person in self.records(
                client, "contact_persons", where, person_keys, optional=True
            ):
                self.text(person, "first_name", pw, max_len=_LEN["short"])
                self.text(person, "last_name", pw, max_len=_LEN["short"])
                self.text(person, "role", pw, max_len=_LEN["label"])
                self.phone(person, "phone", pw, optional=True)
                self.email(person, "email", pw, optional=True)
                self.boolean(person, "gatekeeper", pw, optional=True)
            own: set[str] = set()
            order_keys = (
                "number", "date", "status", "lines", "delivered_on", "payment", "delivery",
            )  # fmt: skip
            for ow, order in self.records(client, "orders", where, order_keys, optional=True):
                self.text(
                    order, "number", ow, max_len=_LEN["number"], pattern=_CODE, hint=_CODE_HINT
                )
                ref = _raw(order, "number")
                self.unique(_join(ow, "number"), ref, order_owner, _l("numéro de commande"))
                if ref is not None:
                    own.add(ref)
                self.date_spec(order, "date", ow)
                status = self.choice(order, "status", ow, ORDER_STATUSES)
                self.order_after_sales(order, ow, status, trackings)
                on_order: dict = {}
                for lw, line in self.records(
                    order, "lines", ow, ("sku", "quantity"), non_empty=True
                ):
                    sku = self.text(line, "sku", lw)
                    if sku is not None and self.ref(
                        _join(lw, "sku"), sku, skus, _l("sku"), _l("aucun produit n'a ce sku")
                    ):
                        self.unique(_join(lw, "sku"), sku, on_order, _l("sku sur cette commande"))
                    self.integer(line, "quantity", lw, low=1)
            invoice_keys = (
                "number", "order", "issued_on", "due_on", "amount", "amount_paid", "promises",
            )  # fmt: skip
            owed: dict[str, object] = {}
            for iw, invoice in self.records(client, "invoices", where, invoice_keys, optional=True):
                self.text(
                    invoice, "number", iw, max_len=_LEN["number"], pattern=_CODE, hint=_CODE_HINT
                )
                self.unique(
                    _join(iw, "number"), _raw(invoice, "number"), invoices, _l("numéro de facture")
                )
                order_ref = self.text(invoice, "order", iw, optional=True)
                if order_ref is not None:
                    pending.append((_join(iw, "order"), order_ref, own))
                issued = self.date_spec(invoice, "issued_on", iw)
                due = self.date_spec(invoice, "due_on", iw)
                self.not_before(
                    issued, due, _join(iw, "due_on"), _l("ne doit pas être avant issued_on")
                )
                amount = self.money(invoice, "amount", iw)
                paid = self.money(invoice, "amount_paid", iw)
                if amount is not None and paid is not None and paid > amount:
                    self.add(
                        _join(iw, "amount_paid"),
                        _l("%(paid)s dépasse le montant %(amount)s", paid=paid, amount=amount),
                    )
                left = amount - paid if amount is not None and paid is not None else None
                if isinstance(_raw(invoice, "number"), str):
                    owed[invoice["number"]] = left
                self.promises(invoice, iw, left)
            self.payment_plans(client, where, {k: v for k, v in owed.items() if v is not None})
            self.callbacks(client, where)
            self.contracts(client, where, contracts)
            contact_keys = ("date", "channel", "direction", "code", "note")
            for cw, contact in self.records(client, "contacts", where, contact_keys, optional=True):
                self.date_spec(contact, "date", cw)
                self.choice(contact, "channel", cw, channels.names())
                self.choice(contact, "direction", cw, ("inbound", "outbound"))
                code = self.text(contact, "code", cw)
                if code is not None:
                    self.ref(
                        _join(cw, "code"), code, codes, _l("code de qualification"),
                        _l("il n'est pas dans qualification_codes"),
                    )  # fmt: skip
                self.text(contact, "note", cw)
        for where, ref, own in pending:
            if ref in own:
                continue
            if ref in order_owner:
                owner = order_owner[ref].rpartition(".orders")[0]
                self.add(
                    where,
                    _l(
                        "la commande %(ref)s appartient à %(owner)s, pas à ce client",
                        ref=repr(ref),
                        owner=owner,
                    ),
                )
            else:
                self.ref(
                    where, ref, own, _l("commande"),
                    _l("ce client n'a aucune commande de ce numéro"),
                )  # fmt: skip

    def identity(self, client, where) -> None:
        """Who the client is and how they may be reached (everything but history)."""
        self.choice(client, "kind", where, ("client", "prospect"))
        segment = self.choice(client, "segment", where, ("b2b", "b2c"))
        if segment == "b2b" and client.get("company_name") is None:
            self.add(
                _join(where, "company_name"),
                _l("obligatoire pour un client b2b : le nom de l'entreprise"),
            )
        self.text(client, "company_name", where, optional=True, max_len=_LEN["name"])
        siret = re.compile(r"\d{14}")
        self.text(
            client,
            "siret",
            where,
            optional=True,
            pattern=siret,
            hint=_l("14 chiffres, sans espaces"),
        )
        self.choice(client, "title", where, ("M.", "Mme"))
        self.text(client, "first_name", where, max_len=_LEN["short"])
        self.text(client, "last_name", where, max_len=_LEN["short"])
        self.email(client, "email", where)
        self.address(client, "address", where)
        self.date_spec(client, "birth_date", where, optional=True, iso_only=True)
        self.money(client, "credit_limit", where, optional=True)
        self.integer(client, "payment_terms_days", where, low=0, high=365)
        value = self.take(client, "consent", where, False)
        if value is not _MISSING:
            consent_path = _join(where, "consent")
            consent = self.mapping(value, consent_path, channels.with_consent())
            for channel in channels.with_consent():
                self.boolean(consent, channel, consent_path)
        self.boolean(client, "do_not_call", where)
        self.text(client, "notes", where, optional=True)
