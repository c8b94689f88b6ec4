"""The grade scale an evaluator (and a candidate assessing themself) gives each criterion."""

from __future__ import annotations

from crm.i18n import N_

ACQUIRED = "acquired"
IN_PROGRESS = "in_progress"
NOT_ACQUIRED = "not_acquired"
NOT_OBSERVED = "not_observed"

#: Code → French label (translated on screen with `_()`), in the order shown on grids.
GRADES: dict[str, str] = {
    ACQUIRED: N_("Acquis"),
    IN_PROGRESS: N_("En cours d'acquisition"),
    NOT_ACQUIRED: N_("Non acquis"),
    NOT_OBSERVED: N_("Non observé"),
}
