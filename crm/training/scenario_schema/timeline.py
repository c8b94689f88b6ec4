"""Section validators for the desk: the timeline, campaign call plans and the desk settings.

Only the structure is checked here (kinds, offsets, senders, message fields, step lists); the
scripted customers' steps are checked by the softphone's validator plugged in through
``hooks.register_validator`` and run by the checker after the sections.
"""

from __future__ import annotations

import re

from crm import channels
from crm.i18n import lazy as _l
from crm.i18n import lazy_plural as ngettext
from crm.training.expectations import PackNames, expect_problems

from .formats import _SLUG, _SLUG_HINT
from .hooks import extra_validators
from .problems import _describe, _join
from .structure import StructureChecks
from .values import _MISSING, _raw
from .vocabulary import _LEN, LANGUAGES

#: Timeline items: one kind per channel at the desk (crm.channels), and scripted payments.
TIMELINE_KINDS = (*channels.timeline_kinds(), "payment")
#: A scripted payment's keys (the client pays an invoice of the pack at that moment).
_PAYMENT_KEYS = ("key", "at", "kind", "invoice", "amount", "method", "reference")
_PAYMENT_METHODS = ("transfer", "cheque", "direct_debit")
_OFFSET = re.compile(r"\+\d{2,3}:[0-5]\d")
_OFFSET_HINT = _l('des minutes et secondes depuis le début de la séance, comme "+02:30"')
_ITEM_KEYS = (
    "key", "at", "kind", "from", "persona", "script", "nudge_after", "subject", "body",
    "language", "attachments", "ring_seconds", "queue_seconds", "reply_delay", "expect",
    "invoice", "amount", "method", "reference",
)  # fmt: skip
_PLAN_KEYS = ("number", "client", "label", "persona", "script", "nudge_after", "expect")
_PERSONA_KEYS = ("name", "temper", "accepts_substitute", "accepts_additional", "language")
_WRITTEN_LIMITS = channels.body_limits()


class TimelineSections(StructureChecks):
    """``timeline``, ``campaigns[].call_plan``, desk settings, and the plugged-in validators."""

    def timeline(self, data, names: PackNames) -> None:
        """Timeline items: when, what channel, who, what they say and do, what they expect.

        ``names`` are the pack's products, codes, transfer targets and articles, which
        ``expect:`` may name.
        """
        seen: dict = {}
        invoices = _invoice_numbers(data)
        for where, item in self.records(data, "timeline", "", _ITEM_KEYS, optional=True):
            key = self.text(item, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("clé de timeline"))
            self.text(item, "at", where, pattern=_OFFSET, hint=_OFFSET_HINT)
            kind = self.choice(item, "kind", where, TIMELINE_KINDS)
            if kind == "payment":
                self.payment(item, where, invoices)
                continue
            for extra in _PAYMENT_KEYS[3:]:
                if extra in item:
                    self.add(_join(where, extra), _l("seuls les paiements ont cette clé"))
            if kind in ("call", "sms"):
                self.phone(item, "from", where)
            elif kind == "email":
                self.email(item, "from", where)
            elif kind == "chat":
                self.text(item, "from", where, max_len=_LEN["email"])
            self.persona(item, where, required=kind == "call")
            self.steps(item, where, required=kind == "call")
            self.number(item, "nudge_after", where)
            if kind == "call":
                self.integer(item, "ring_seconds", where, low=5, high=600, optional=True)
                self.integer(item, "queue_seconds", where, low=0, high=3600, optional=True)
                for extra in ("subject", "body", "attachments", "reply_delay"):
                    if extra in item:
                        self.add(
                            _join(where, extra),
                            _l("seuls les messages ont cette clé, pas les appels"),
                        )
            elif kind is not None:
                self.message(item, where, kind)
            self.expect(item, where, names)

    def payment(self, item, where, invoices: set[str]) -> None:
        """A scripted payment: an invoice of the pack, an amount, a method (no card)."""
        for extra in item:
            if extra not in _PAYMENT_KEYS:
                self.add(
                    _join(where, extra),
                    _l("un paiement n'a pas cette clé (réservée aux appels et aux messages)"),
                )
        invoice = self.text(item, "invoice", where, max_len=_LEN["number"])
        if invoice is not None:
            self.ref(
                _join(where, "invoice"), invoice, invoices, _l("facture"),
                _l("aucun client n'a cette facture"),
            )  # fmt: skip
        amount = self.money(item, "amount", where)
        if amount is not None and amount <= 0:
            self.add(_join(where, "amount"), _l("doit être supérieur à 0.00"))
        self.choice(item, "method", where, _PAYMENT_METHODS)
        self.text(item, "reference", where, optional=True, max_len=64)

    def expect(self, item, where, names: PackNames) -> None:
        """What the evidence rules check of this item or entry (crm/training/expectations.py)."""
        if "expect" in item:
            for path, message in expect_problems(item["expect"], _join(where, "expect"), names):
                self.add(path, message)

    def message(self, item, where, kind) -> None:
        """An email, SMS or chat: its body, subject (email), language and attachments."""
        self.text(item, "body", where)
        body = item.get("body")
        if isinstance(body, str) and len(body) > _WRITTEN_LIMITS[kind]:
            limit = _WRITTEN_LIMITS[kind]
            self.add(
                _join(where, "body"),
                ngettext("%(num)s caractère au plus", "%(num)s caractères au plus", limit),
            )
        if kind == "email":
            self.text(item, "subject", where, max_len=_LEN["title"])
        elif "subject" in item:
            self.add(
                _join(where, "subject"),
                _l("seuls les e-mails ont un objet, pas %(kind)s", kind=kind),
            )
        self.choice(item, "language", where, LANGUAGES, optional=True)
        files = self.seq(item, "attachments", where, optional=True)
        if files and kind != "email":
            self.add(_join(where, "attachments"), _l("seuls les e-mails ont des pièces jointes"))
        for i, name in enumerate(files):
            if not isinstance(name, str) or not name.strip():
                self.add(
                    f"{_join(where, 'attachments')}[{i}]", _l("doit être un nom de fichier (texte)")
                )
        self.integer(item, "reply_delay", where, low=1, high=3600, optional=True)
        for extra in ("ring_seconds", "queue_seconds"):
            if extra in item:
                self.add(
                    _join(where, extra),
                    _l("seuls les appels ont cette clé, pas %(kind)s", kind=kind),
                )

    def persona(self, item, where, *, required) -> None:
        """Who the customer is (the softphone checks the values)."""
        value = self.take(item, "persona", where, not required)
        if value is not _MISSING:
            persona = self.mapping(value, _join(where, "persona"), _PERSONA_KEYS)
            self.text(persona, "name", _join(where, "persona"), max_len=_LEN["name"])

    def steps(self, item, where, *, required) -> None:
        """The scripted customer's steps: a non-empty list of mappings with a type."""
        for i, step in enumerate(self.seq(item, "script", where, optional=not required)):
            if not isinstance(step, dict) or not isinstance(step.get("type"), str):
                self.add(
                    f"{_join(where, 'script')}[{i}]",
                    _l(
                        "doit être une étape (un mapping avec un type), pas %(value)s",
                        value=_describe(step),
                    ),
                )
        if "script" in item and "persona" not in item:
            self.add(
                _join(where, "persona"), _l("clé obligatoire absente (un script en demande une)")
            )

    def number(self, item, key, where) -> None:
        """An optional positive number of seconds."""
        value = item.get(key, 1) if isinstance(item, dict) else 1
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.add(
                _join(where, key),
                _l("doit être un nombre de secondes positif, pas %(value)s", value=repr(value)),
            )

    def call_plans(self, data, names: PackNames) -> None:
        """Outbound campaigns' call plans: numbers to dial, the client, the scripted answerer."""
        listed = data.get("clients") if isinstance(data.get("clients"), list) else []
        clients = {c.get("number") for c in listed if isinstance(c, dict) and _raw(c, "number")}
        campaigns = data.get("campaigns") if isinstance(data.get("campaigns"), list) else []
        for c, camp in enumerate(campaigns):
            if not isinstance(camp, dict) or "call_plan" not in camp:
                continue
            where_camp = f"campaigns[{c}]"
            if camp.get("kind") != "outbound":
                self.add(
                    _join(where_camp, "call_plan"),
                    _l("seules les campagnes sortantes ont un plan d'appels"),
                )
            for where, entry in self.records(camp, "call_plan", where_camp, _PLAN_KEYS):
                self.phone(entry, "number", where)
                client = self.text(entry, "client", where, optional=True, max_len=_LEN["client"])
                if client is not None:
                    self.ref(
                        _join(where, "client"), client, clients, _l("client"),
                        _l("aucun client n'a ce numéro"),
                    )  # fmt: skip
                self.text(entry, "label", where, optional=True, max_len=_LEN["label"])
                self.persona(entry, where, required="script" in entry)
                self.steps(entry, where, required=False)
                self.number(entry, "nudge_after", where)
                self.expect(entry, where, names)

    def desk_settings(self, data) -> set[str]:
        """Pause reasons, transfer targets, calling rules, deadlines, hold limit (all optional).

        Returns the transfer targets' keys.
        """
        for i, reason in enumerate(self.seq(data, "pause_reasons", "", optional=True)):
            if not isinstance(reason, str) or not reason.strip() or len(reason) > 60:
                self.add(f"pause_reasons[{i}]", _l("doit être un texte de 60 caractères au plus"))
        keys = ("key", "label", "answer")
        seen: dict = {}
        for where, target in self.records(data, "transfer_targets", "", keys, optional=True):
            key = self.text(target, "key", where, max_len=60, pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("cible de transfert"))
            self.text(target, "label", where, max_len=_LEN["label"])
            self.text(target, "answer", where, optional=True)
        rules = self.take(data, "calling_rules", "", True)
        if rules is not _MISSING:
            keys = ("max_attempts", "attempts_days", "refusal_days")
            rules = self.mapping(rules, "calling_rules", keys)
            for key in keys:
                self.integer(rules, key, "calling_rules", low=1, high=365, optional=True)
        deadlines = self.take(data, "channel_deadlines", "", True)
        if deadlines is not _MISSING:
            written = channels.names(written=True)
            deadlines = self.mapping(deadlines, "channel_deadlines", written)
            for key in written:
                self.integer(deadlines, key, "channel_deadlines", low=1, high=10080, optional=True)
        # The longest a customer may wait on hold at a time (the evaluator's rule reads it).
        self.integer(data, "hold_limit_seconds", "", low=1, high=3600, optional=True)
        return {key for key in seen if isinstance(key, str)}

    def plugged_in(self, data) -> None:
        """Run the validators other packages registered (see hooks); a crash is a problem too."""
        for name, validator in extra_validators().items():
            try:
                for path, message in validator(data):
                    self.add(path, message)
            except Exception as error:  # a plug-in must not make validation raise
                self.add(
                    "",
                    _l(
                        "le validateur %(name)s a échoué : %(error)s",
                        name=name,
                        error=f"{type(error).__name__}: {error}",
                    ),
                )


def _invoice_numbers(data) -> set[str]:
    """Every invoice number of the pack's clients (what a scripted payment may name)."""
    numbers = set()
    clients = data.get("clients")
    for client in clients if isinstance(clients, list) else []:
        invoices = client.get("invoices") if isinstance(client, dict) else None
        for invoice in invoices if isinstance(invoices, list) else []:
            if isinstance(invoice, dict) and isinstance(invoice.get("number"), str):
                numbers.add(invoice["number"])
    return numbers
