"""« Rappel tenu »: the callbacks promised to clients are made at the time promised."""

from __future__ import annotations

from crm.contacts.callbacks import LATE
from crm.evaluation.rules.base import EvidenceRule, register
from crm.evaluation.rules.wording import local_time, moment
from crm.i18n import _, _l, ngettext


def _late_unmade(evidence) -> list:
    """Callbacks scheduled in the attempt, past their time (and grace) by its last action,
    never made."""
    done = {a.object_id for a in evidence.of("callback.done")}
    actions = evidence.actions
    if not actions:
        return []
    last = actions[-1].at
    return [
        a
        for a in evidence.of("callback.scheduled")
        if a.object_id not in done
        and (due := moment(a.payload.get("due_at"))) is not None
        and due + LATE < last
    ]


@register
class CallbacksKept(EvidenceRule):
    """Every callback promised is made at the time promised (a few minutes either way)."""

    id = "callbacks_kept"
    title = _l("Rappels tenus à l'heure promise")

    def evaluate(self, evidence):
        made = evidence.of("callback.done")
        kept = [a for a in made if a.payload.get("kept")]
        late = [a for a in made if not a.payload.get("kept")]
        unmade = _late_unmade(evidence)
        if late or unmade:
            items = [
                _(
                    "rappel n° %(n)s prévu à %(due)s, passé avec %(minutes)s min d'écart",
                    n=a.object_id,
                    due=local_time(moment(a.payload.get("due_at"))),
                    minutes=round(abs(a.payload.get("delay_seconds") or 0) / 60),
                )
                for a in late
            ] + [
                _(
                    "rappel n° %(n)s prévu à %(due)s, jamais passé",
                    n=a.object_id,
                    due=local_time(moment(a.payload.get("due_at"))),
                )
                for a in unmade
            ]
            return self.not_met(
                _("Rappels non tenus : %(items)s.", items="; ".join(items)),
                late + unmade,
                met=kept,
                kept=len(kept),
                missed=len(late) + len(unmade),
            )
        if not kept:
            return self.not_observed(_("Aucun rappel n'était à faire pendant la séance."))
        return self.met(
            ngettext(
                "%(num)s rappel passé à l'heure promise.",
                "%(num)s rappels passés à l'heure promise.",
                len(kept),
            ),
            kept,
            kept=len(kept),
        )
