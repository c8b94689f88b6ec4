"""The pack's after-sales rules (`after_sales` in the scenario), with the law's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: Code de la consommation, art. L221-18: fourteen days, a pack may only grant more.
LEGAL_WITHDRAWAL_DAYS = 14


@dataclass(frozen=True)
class AfterSalesRules:
    """What the company allows the adviser on their own."""

    withdrawal_days: int = LEGAL_WITHDRAWAL_DAYS
    #: Most a goodwill credit note may be, incl. VAT (None: no gesture without a manager).
    goodwill_max: Decimal | None = None
    #: Most a goodwill credit note on an order may be, as a percent of the order's total.
    goodwill_max_percent: int | None = None
    carriers: tuple[str, ...] = ()


def rules_of(attempt) -> AfterSalesRules:
    """The attempt's after-sales rules, read from its settings (validated when loaded)."""
    raw = (attempt.settings or {}).get("after_sales") or {}
    maximum = raw.get("goodwill_max")
    percent = raw.get("goodwill_max_percent")
    return AfterSalesRules(
        withdrawal_days=max(int(raw.get("withdrawal_days", LEGAL_WITHDRAWAL_DAYS)), 14),
        goodwill_max=Decimal(str(maximum)) if maximum is not None else None,
        goodwill_max_percent=int(percent) if percent is not None else None,
        carriers=tuple(raw.get("carriers", ())),
    )
