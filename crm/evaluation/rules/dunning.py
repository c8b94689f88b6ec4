"""Dunning: the reminder ladder climbed step by step, and promises to pay and payment plans
consistent with what the client owes."""

from __future__ import annotations

from decimal import Decimal

from crm import channels
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import day, decimal, fr_day, money
from crm.i18n import _, _l, ngettext


def paid_after(evidence, invoice: str, first) -> Decimal:
    """What was paid on an invoice after its first promise (payments keeping the promise)."""
    return sum(
        (
            decimal(a.payload.get("amount"))
            for a in evidence.of("payment.recorded")
            if a.seq > first.seq and (a.payload.get("allocation") or {}).get("invoice") == invoice
        ),
        Decimal(),
    )


def promise_faults(invoice: str, promises: list, paid: Decimal) -> list[tuple]:
    """A shortfall (promised and paid less than owed) or promises beyond what is owed."""
    due = decimal(promises[0].payload.get("amount_due"))
    promised = sum((decimal(a.payload.get("amount")) for a in promises), Decimal())
    last = promises[-1]
    if promised > due:
        return [
            (
                last,
                _(
                    "facture %(invoice)s : %(promised)s promis pour %(due)s dus",
                    invoice=invoice,
                    promised=money(promised),
                    due=money(due),
                ),
            )
        ]
    if promised + paid < due:
        return [
            (
                last,
                _(
                    "promesse n° %(n)s de %(amount)s sur la facture %(invoice)s : "
                    "%(due)s dus, %(left)s sans engagement ni règlement",
                    n=last.object_id,
                    amount=money(last.payload.get("amount")),
                    invoice=invoice,
                    due=money(due),
                    left=money(due - promised - paid),
                ),
            )
        ]
    return []


def plan_faults(action) -> list[str]:
    """What does not add up in a payment plan: installments, invoices and total."""
    payload = action.payload or {}
    total = decimal(payload.get("total"))
    owed = sum((decimal(i.get("amount_due")) for i in payload.get("invoices", [])), Decimal())
    scheduled = sum((decimal(i.get("amount")) for i in payload.get("installments", [])), Decimal())
    faults = []
    if scheduled != owed or total != owed:
        faults.append(
            _(
                "échéancier n° %(n)s : %(scheduled)s d'échéances pour %(owed)s dus",
                n=action.object_id,
                scheduled=money(scheduled),
                owed=money(owed),
            )
        )
    return faults


@register
class PlanConsistentWithDebt(EvidenceRule):
    """Promises and plans cover what is owed: no shortfall, no invoice committed twice."""

    id = "plan_consistent_with_debt"
    title = _l("Échéanciers et promesses de paiement cohérents avec le montant dû")

    def evaluate(self, evidence):
        promises = evidence.of("promise.recorded")
        plans = evidence.of("plan.created")
        if not promises and not plans:
            return self.not_observed(_("Aucune promesse ni aucun échéancier dans cette tentative."))
        committed: dict[str, list] = {}
        faults = []
        for plan in plans:
            faults += [(plan, f) for f in plan_faults(plan)]
            for invoice in plan.payload.get("invoices", []):
                committed.setdefault(invoice.get("number"), []).append(plan)
        for promise in promises:
            committed.setdefault(promise.payload.get("invoice"), []).append(promise)
        for number, actions in committed.items():
            kinds = [a for a in actions if a.verb == "plan.created"]
            if kinds and len(actions) > 1:
                faults.append(
                    (
                        actions[-1],
                        _(
                            "facture %(invoice)s engagée deux fois (échéancier et promesse)",
                            invoice=number,
                        ),
                    )
                )
                continue
            if kinds:
                continue
            faults += promise_faults(number, actions, paid_after(evidence, number, actions[0]))
        if faults:
            faults.sort(key=lambda f: f[0].seq)
            return self.not_met(
                _(
                    "Engagement incohérent avec la dette : %(items)s.",
                    items="; ".join(f for _a, f in faults),
                ),
                [a for a, _f in faults],
                met=[a for a in [*promises, *plans] if a not in {f[0] for f in faults}],
                promises=len(promises),
                plans=len(plans),
            )
        items = [
            _(
                "promesse n° %(n)s (%(amount)s au %(day)s, facture %(invoice)s)",
                n=a.object_id,
                amount=money(a.payload.get("amount")),
                day=fr_day(day(a.payload.get("due_date"))),
                invoice=a.payload.get("invoice"),
            )
            for a in promises
        ] + [
            _(
                "échéancier n° %(n)s (%(count)s échéances, %(total)s)",
                n=a.object_id,
                count=len(a.payload.get("installments", [])),
                total=money(a.payload.get("total")),
            )
            for a in plans
        ]
        return self.met(
            _("Montants dus exactement couverts : %(items)s.", items="; ".join(items)),
            [*promises, *plans],
            promises=len(promises),
            plans=len(plans),
        )


@register
class NoPromiseAfterBrokenOne(EvidenceRule):
    """An invoice whose promise to pay was broken gets no new promise: paid now, or a plan."""

    id = "no_promise_after_broken_one"
    title = _l("Pas de nouvelle promesse de paiement après une promesse rompue")

    def evaluate(self, evidence):
        broken = evidence.of("promise.broken")
        if not broken:
            return self.not_observed(_("Aucune promesse rompue dans cette tentative."))
        faults, after = [], []
        for failed in broken:
            number = failed.payload.get("invoice")
            later = [
                a
                for a in evidence.of("promise.recorded", "plan.created", "payment.recorded")
                if a.seq > failed.seq and number in _invoices_of(a)
            ]
            renewed = [a for a in later if a.verb == "promise.recorded"]
            faults += [(failed, a) for a in renewed]
            after += [a for a in later if a.verb != "promise.recorded"]
        if faults:
            items = [
                _(
                    "facture %(invoice)s : promesse rompue le %(broken)s, nouvelle promesse "
                    "n° %(n)s au %(day)s",
                    invoice=a.payload.get("invoice"),
                    broken=fr_day(day(failed.payload.get("due_date"))),
                    n=a.object_id,
                    day=fr_day(day(a.payload.get("due_date"))),
                )
                for failed, a in faults
            ]
            return self.not_met(
                _(
                    "Promesse renouvelée après une promesse rompue : %(items)s.",
                    items="; ".join(items),
                ),
                [a for _f, a in faults],
                met=[*broken, *after],
                broken=len(broken),
                renewed=len(faults),
            )
        what = (
            _("règlement ou échéancier ensuite")
            if after
            else _("rien de nouveau promis sur ces factures")
        )
        return self.met(
            ngettext(
                "%(num)s promesse rompue (facture %(invoices)s), aucune promesse renouvelée : "
                "%(what)s.",
                "%(num)s promesses rompues (factures %(invoices)s), aucune promesse renouvelée : "
                "%(what)s.",
                len(broken),
                invoices=", ".join(a.payload.get("invoice") or "?" for a in broken),
                what=what,
            ),
            [*broken, *after],
            broken=len(broken),
            followed=len(after),
        )


def _invoices_of(action) -> set[str]:
    """The invoice numbers a promise, a plan or a payment is about."""
    payload = action.payload or {}
    if action.verb == "plan.created":
        return {i.get("number") for i in payload.get("invoices", [])}
    if action.verb == "payment.recorded":
        return {(payload.get("allocation") or {}).get("invoice")} - {None}
    return {payload.get("invoice")}


def _spoken(step: str | None) -> str | None:
    """The desk channel a spoken dunning step is taken on (`call` → phone), else None: such a
    step is a conversation with the client, not a message the system sends."""
    channel = channels.of_dunning_step(step) if step else None
    if channel is None or channel.written or not channel.at_desk:
        return None
    return channel.name


def _step_name(reminder) -> str:
    """How a reminder reads in a sentence: its ladder label and level."""
    payload = reminder.payload or {}
    return _(
        "%(label)s (niveau %(level)s)",
        label=payload.get("label") or payload.get("channel") or "?",
        level=payload.get("level"),
    )


@register
class DunningLadderFollowed(EvidenceRule):
    """Reminders climb the scenario's ladder in order: no step is skipped on the way to the formal
    notice, and a spoken step (the reminder call) is a real call to the client, not a record."""

    id = "dunning_ladder_followed"
    title = _l("Relances dans l'ordre de l'échelle, sans sauter d'étape amiable")

    def evaluate(self, evidence):
        reminders = evidence.of("reminder.sent")
        if not reminders:
            return self.not_observed(_("Aucune relance envoyée dans cette tentative."))
        ladder = sorted(
            (s for s in evidence.settings.get("dunning_ladder") or [] if isinstance(s, dict)),
            key=lambda s: s.get("level", 0),
        )
        # Invoice number -> levels climbed: those taken before the shift (the pack's
        # `reminders_sent`), then those reminded in this attempt.
        before = evidence.settings.get("reminders_sent") or {}
        taken: dict[str, set] = {
            number: set(range(1, sent + 1))
            for number, sent in before.items()
            if isinstance(sent, int)
        }
        faults, good = [], []
        for reminder in reminders:
            payload = reminder.payload or {}
            invoice, level = payload.get("invoice"), payload.get("level")
            done = taken.setdefault(invoice, set())
            skipped = [
                s
                for s in ladder
                if isinstance(level, int) and s.get("level", 0) < level and s["level"] not in done
            ]
            problems = []
            if skipped:
                problems.append(
                    _(
                        "facture %(invoice)s : %(step)s avant %(skipped)s",
                        invoice=invoice,
                        step=_step_name(reminder),
                        skipped=", ".join(_("niveau %(level)s", level=s["level"]) for s in skipped),
                    )
                )
            channel = _spoken(payload.get("channel"))
            if channel and not self._talked(evidence, reminder, channel):
                problems.append(
                    _(
                        "facture %(invoice)s : %(step)s enregistrée sans contact avec le client "
                        "sur ce canal",
                        invoice=invoice,
                        step=_step_name(reminder),
                    )
                )
            faults += [(reminder, problem) for problem in problems]
            if not problems:
                good.append(reminder)
            if isinstance(level, int):
                done.add(level)
        if faults:
            return self.not_met(
                _(
                    "Échelle de relance non suivie : %(items)s.",
                    items="; ".join(text for _a, text in faults),
                ),
                [a for a, _t in faults],
                met=good,
                reminders=len(reminders),
                skipped=len(faults),
            )
        reminded = {(r.payload or {}).get("invoice") for r in reminders}
        # Worded first: pybabel loses a plural whose arguments hold another marked call.
        climbed = [
            _(
                "facture %(invoice)s : niveaux %(levels)s",
                invoice=invoice,
                levels=" → ".join(map(str, sorted(levels))),
            )
            for invoice, levels in taken.items()
            if invoice in reminded
        ]
        return self.met(
            ngettext(
                "%(num)s relance dans l'ordre de l'échelle (%(items)s).",
                "%(num)s relances dans l'ordre de l'échelle (%(items)s).",
                len(reminders),
                items="; ".join(climbed),
            ),
            reminders,
            reminders=len(reminders),
        )

    @staticmethod
    def _talked(evidence, reminder, channel: str) -> bool:
        """Whether a contact with the reminder's client on `channel` was opened before it."""
        client = (reminder.payload or {}).get("client_id")
        return any(
            trace.channel == channel
            and trace.client_id == client
            and trace.opened.seq < reminder.seq
            for trace in evidence.contacts.values()
        )
