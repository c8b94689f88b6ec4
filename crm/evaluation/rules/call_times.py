"""Telephony timing rules: holds under the scenario's limit, after-call work under the target."""

from __future__ import annotations

from crm.campaigns.membership import AFTER_CALL_WORK, call_after_call_work_target
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.interactions import CallFacts, calls
from crm.evaluation.rules.wording import duration, upper_first
from crm.i18n import _, _l, ngettext

#: Scenario setting (seconds): the longest a customer may wait on hold at a time.
HOLD_LIMIT = "hold_limit_seconds"


def _positive(value) -> int | float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    return value if ok else None


def holds(facts: CallFacts) -> list[tuple[object, float]]:
    """Each hold of a call: the action that proves its length, and its seconds.

    A hold taken back is measured by `call.resumed`; one still running when the call ended
    (hang-up or transfer from hold) is what the end's total adds to the resumed holds.
    """
    found = [(a, float(a.payload.get("seconds") or 0)) for a in facts.resumed]
    if len(facts.held) > len(facts.resumed) and facts.end is not None:
        total = float(facts.end.payload.get("hold_seconds") or 0)
        found.append((facts.end, max(0.0, round(total - sum(s for _a, s in found), 3))))
    return found


@register
class HoldWithinLimit(EvidenceRule):
    """No customer left on hold longer than the scenario allows at a time."""

    id = "hold_within_limit"
    title = _l("Mises en attente sous la limite du scénario")

    def evaluate(self, evidence):
        limit = _positive(evidence.settings.get(HOLD_LIMIT))
        measured = [(f, a, s) for f in calls(evidence).values() for a, s in holds(f)]
        if not measured:
            return self.not_observed(_("Aucune mise en attente dans cette tentative."))
        if limit is None:
            return self.not_observed(
                _("Le scénario ne fixe pas de limite de mise en attente (%(key)s).", key=HOLD_LIMIT)
            )
        over = [(f, a, s) for f, a, s in measured if s > limit]
        if over:
            items = [
                _(
                    "appel n° %(call)s mis en attente %(held)s",
                    call=f.id,
                    held=duration(s),
                )
                for f, _a, s in over
            ]
            return self.not_met(
                _(
                    "%(items)s, au-delà de la limite de %(limit)s.",
                    items=upper_first("; ".join(items)),
                    limit=duration(limit),
                ),
                [a for _f, a, _s in over],
                met=[a for _f, a, s in measured if s <= limit],
                holds=len(measured),
                over=len(over),
            )
        longest = max(s for _f, _a, s in measured)
        return self.met(
            ngettext(
                "%(num)s mise en attente, sous la limite de %(limit)s (%(longest)s).",
                "%(num)s mises en attente, toutes sous la limite de %(limit)s (la plus longue : "
                "%(longest)s).",
                len(measured),
                limit=duration(limit),
                longest=duration(longest),
            ),
            [a for _f, a, _s in measured],
            holds=len(measured),
            longest_seconds=longest,
        )


@register
class AfterCallWorkWithinTarget(EvidenceRule):
    """Each call's wrap-up (from the hang-up to ready again) within its campaign's target.

    Going over the target is not an action of its own: the agent's return to ready
    (`agent.state_changed` with `wrap_up_seconds`) already measures every wrap-up.
    """

    id = "after_call_work_within_target"
    title = _l("Travail après appel dans l'objectif de la campagne")

    def evaluate(self, evidence):
        campaigns = evidence.campaigns
        measured, over, open_ = [], [], []
        ended = [f for f in calls(evidence).values() if f.end is not None]
        for facts in ended:
            # The same lookup as the desk's wrap-up timer: the campaign of the call.
            target = call_after_call_work_target(facts.direction, facts.number, campaigns)
            if target is None:
                continue
            if facts.wrap_up is None:
                open_.append((facts, target))
                continue
            spent = float(facts.wrap_up.payload.get("wrap_up_seconds") or 0)
            measured.append((facts, spent, target))
            if spent > target:
                over.append((facts, spent, target))
        if not measured and not open_:
            if ended:
                return self.not_observed(
                    _(
                        "Aucune campagne ne fixe d'objectif de travail après appel (%(key)s).",
                        key=AFTER_CALL_WORK,
                    )
                )
            return self.not_observed(_("Aucun appel terminé dans cette tentative."))
        if over or open_:
            items = [
                _(
                    "appel n° %(call)s : %(spent)s pour un objectif de %(target)s",
                    call=f.id,
                    spent=duration(s),
                    target=duration(t),
                )
                for f, s, t in over
            ] + [
                _(
                    "appel n° %(call)s : travail après appel non terminé (contact non qualifié)",
                    call=f.id,
                )
                for f, _t in open_
            ]
            return self.not_met(
                _("Travail après appel trop long : %(items)s.", items="; ".join(items)),
                [f.wrap_up for f, _s, _t in over] + [f.end for f, _t in open_],
                met=[f.wrap_up for f, s, t in measured if s <= t],
                calls=len(measured) + len(open_),
                over=len(over) + len(open_),
            )
        average = sum(s for _f, s, _t in measured) / len(measured)
        return self.met(
            ngettext(
                "%(num)s appel terminé, travail après appel dans l'objectif (%(average)s).",
                "%(num)s appels terminés, travail après appel dans l'objectif (moyenne "
                "%(average)s).",
                len(measured),
                average=duration(average),
            ),
            [f.wrap_up for f, _s, _t in measured],
            calls=len(measured),
            average_seconds=round(average, 1),
        )
