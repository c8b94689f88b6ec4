"""KPIs computed from the action log, never stored: per attempt, and per shift from the counts.

`attempt_kpis(attempt)` reads one attempt's actions into a `Tally` (counts, sums and the ids of
the actions counted, see tally.py); `shift_kpis(shift)` adds up the tallies of the shift's
attempts and derives the same KPIs from the summed counts, so a shift's average handling time
is total time ÷ total calls, never an average of averages. Each `Kpi` carries its French label,
its value (None when there is nothing to measure: « non mesurable », never 0), its unit, the
formula in words and the figures and action ids it used (formulas.py).
"""

from __future__ import annotations

from crm.evaluation.kpis.formulas import Kpi, derive
from crm.evaluation.kpis.tally import Tally, tally_attempt
from crm.training.models import Attempt, Shift


def attempt_kpis(attempt: Attempt) -> list[Kpi]:
    """Every KPI of one attempt, from its log."""
    return derive(tally_attempt(attempt))


def shift_attempts(shift: Shift) -> list[Attempt]:
    """The attempts a shift's KPIs cover: each candidate's current one (a reset replaces)."""
    return [a for a in shift.attempts if a.status != "superseded"]


def shift_kpis(shift: Shift) -> list[Kpi]:
    """Every KPI of a shift, derived from the summed counts of its current attempts."""
    total = Tally()
    for attempt in shift_attempts(shift):
        total.add(tally_attempt(attempt))
    return derive(total)


__all__ = ["Kpi", "Tally", "attempt_kpis", "shift_attempts", "shift_kpis", "tally_attempt"]
