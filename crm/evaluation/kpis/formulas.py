"""The KPIs, each defined once: French label, unit, formula in words, and how it is derived.

Every ratio is derived from a tally's totals (see tally.py). A ratio whose denominator is zero
has no value (None, shown « non mesurable »), never 0: nothing was there to measure. Labels and
formulas are French source text (translated where shown, with `crm.i18n.translate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from crm import channels
from crm.evaluation.kpis.tally import Tally
from crm.i18n import N_, translate

SECONDS, PERCENT, EUR, COUNT, PER_HOUR = "s", "%", "EUR", "count", "per_hour"

#: What each figure counts, in French, for reports (seconds and euros are formatted).
FIGURE_LABELS = {
    "contacts": N_("contacts"),
    "handling_seconds": N_("temps de traitement"),
    "calls": N_("appels"),
    "wrap_up_seconds": N_("temps de post-appel"),
    "wrap_ups": N_("post-appels"),
    "hold_seconds": N_("temps d'attente"),
    "calls_held": N_("appels mis en attente"),
    "logged_on_seconds": N_("temps connecté"),
    "converted": N_("contacts avec commande"),
    "reached": N_("contacts joints"),
    "orders_total": N_("total TTC"),
    "orders": N_("commandes"),
    "with_additional": N_("commandes avec vente additionnelle"),
    "resolved": N_("résolus au premier contact"),
    "requests": N_("premiers contacts entrants"),
    "within": N_("dans le délai"),
    "due": N_("réponses dues"),
    "abandoned": N_("appels perdus"),
    "offered": N_("appels présentés"),
}


@dataclass(frozen=True)
class Kpi:
    """One indicator: what it is, its value (None: not measurable) and what it was made of."""

    key: str
    label: str
    value: float | Decimal | int | None
    unit: str
    formula: str
    #: The totals the value was computed from (numerator, denominator…), by name.
    figures: dict = field(default_factory=dict)
    #: Ids of the actions counted.
    actions: tuple[int, ...] = ()
    channel: str | None = None

    @property
    def measurable(self) -> bool:
        return self.value is not None

    def display(self) -> str:
        """The value in French, with its unit (« non mesurable » when there is none)."""
        return display_value(self.value, self.unit)

    def figures_shown(self) -> list[tuple[str, str]]:
        """Each figure as (French source label, value formatted): the label is translated where
        shown, the value is already in French form (durations, euros)."""
        shown = []
        for name, value in self.figures.items():
            if name.endswith("_seconds"):
                text = duration(value)
            elif isinstance(value, Decimal):
                text = display_value(value, EUR)
            else:
                text = str(value)
            shown.append((FIGURE_LABELS.get(name, name), text))
        return shown

    def figures_text(self) -> str:
        """The figures in French: « temps de traitement : 3 min 10 s ; appels : 2 »."""
        return " ; ".join(f"{label} : {text}" for label, text in self.figures_shown())

    def to_dict(self) -> dict:
        """The JSON shape of the API (money as a string with two decimals)."""
        value = self.value
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        return {
            "key": self.key,
            "label": translate(self.label),
            "value": value,
            "unit": self.unit,
            "display": translate(self.display()) if self.value is None else self.display(),
            "formula": translate(self.formula),
            "figures": {k: _plain(v) for k, v in self.figures.items()},
            "actions": list(self.actions),
            "channel": self.channel,
            "measurable": self.measurable,
        }


def _plain(value):
    """A figure as JSON: money as a string, floats rounded to the millisecond."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return round(value, 3)
    return value


def _french(number: float, decimals: int) -> str:
    """1234.5 → « 1 234,5 » (French separators)."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def duration(seconds: float) -> str:
    """Seconds as « 45 s », « 3 min 05 s » or « 1 h 02 min »."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def display_value(value, unit: str) -> str:
    """A KPI value in French with its unit."""
    if value is None:
        return N_("non mesurable")
    if unit == SECONDS:
        return duration(value)
    if unit == PERCENT:
        return _french(value, 1) + " %"
    if unit == EUR:
        return _french(float(value), 2) + " €"
    if unit == PER_HOUR:
        return _french(value, 2) + " / h"
    return str(value)


def ratio(numerator, denominator, scale: float = 1, digits: int = 1):
    """numerator ÷ denominator × scale, rounded; None when the denominator is zero."""
    if not denominator:
        return None
    return round(float(numerator) / float(denominator) * scale, digits)


def derive(t: Tally) -> list[Kpi]:
    """Every KPI from a tally's totals, in the order they are shown."""
    kpis = _contacts(t)
    kpis += [
        Kpi(
            "handling_time",
            N_("Durée moyenne de traitement (téléphone)"),
            ratio(t.get("handling_seconds"), t.get("handled_calls")),
            SECONDS,
            N_(
                "(temps de conversation + temps de mise en attente + temps de post-appel) des "
                "appels terminés dont le post-appel est clos ÷ nombre de ces appels"
            ),
            {"handling_seconds": t.get("handling_seconds"), "calls": t.get("handled_calls")},
            t.actions("handled_calls"),
        ),
        Kpi(
            "after_call_work",
            N_("Durée moyenne de post-appel"),
            ratio(t.get("wrap_seconds"), t.get("wrap_ups")),
            SECONDS,
            N_(
                "somme des durées de post-appel (du raccroché à la qualification du contact) "
                "÷ nombre de post-appels clos"
            ),
            {"wrap_up_seconds": t.get("wrap_seconds"), "wrap_ups": t.get("wrap_ups")},
            t.actions("wrap_ups"),
        ),
        Kpi(
            "hold_time",
            N_("Temps moyen de mise en attente par appel"),
            ratio(t.get("hold_seconds"), t.get("ended_calls")),
            SECONDS,
            N_("somme des temps de mise en attente ÷ nombre d'appels décrochés terminés"),
            {
                "hold_seconds": t.get("hold_seconds"),
                "calls": t.get("ended_calls"),
                "calls_held": t.get("held_calls"),
            },
            t.actions("held_calls"),
        ),
        Kpi(
            "contacts_per_hour",
            N_("Contacts traités par heure"),
            ratio(t.get("contacts"), t.get("presence_seconds") / 3600, digits=2),
            PER_HOUR,
            N_("contacts qualifiés (tous canaux) ÷ heures connectées au téléphone"),
            {"contacts": t.get("contacts"), "logged_on_seconds": t.get("presence_seconds")},
            t.actions("presence_seconds"),
        ),
        Kpi(
            "conversion_rate",
            N_("Taux de transformation"),
            ratio(t.get("converted_contacts"), t.get("reached_contacts"), 100),
            PERCENT,
            N_(
                "contacts au cours desquels une commande a été confirmée (et non annulée) "
                "÷ contacts qualifiés où le client a été joint (hors famille CNA) × 100"
            ),
            {"converted": t.get("converted_contacts"), "reached": t.get("reached_contacts")},
            t.actions("converted_contacts"),
        ),
        Kpi(
            "average_basket",
            N_("Panier moyen (TTC)"),
            _money_ratio(t.get("orders_total"), t.get("orders")),
            EUR,
            N_(
                "somme des totaux TTC des commandes confirmées et non annulées "
                "÷ nombre de ces commandes"
            ),
            {"orders_total": Decimal(t.get("orders_total")), "orders": t.get("orders")},
            t.actions("orders"),
        ),
        Kpi(
            "additional_sale_rate",
            N_("Taux de vente additionnelle"),
            ratio(t.get("orders_additional"), t.get("orders"), 100),
            PERCENT,
            N_(
                "commandes confirmées comportant au moins une ligne de vente additionnelle "
                "÷ commandes confirmées et non annulées × 100"
            ),
            {"with_additional": t.get("orders_additional"), "orders": t.get("orders")},
            t.actions("orders_additional"),
        ),
        Kpi(
            "first_contact_resolution",
            N_("Résolution au premier contact"),
            ratio(t.get("fcr_resolved"), t.get("fcr_requests"), 100),
            PERCENT,
            N_(
                "clients dont le premier contact entrant a été qualifié sans rappel programmé, "
                "sans transfert, hors famille CNA et sans nouveau contact entrant ensuite "
                "÷ clients ayant eu un premier contact entrant qualifié × 100"
            ),
            {"resolved": t.get("fcr_resolved"), "requests": t.get("fcr_requests")},
            t.actions("fcr_requests"),
        ),
    ]
    kpis += _deadlines(t)
    kpis.append(
        Kpi(
            "abandoned_calls",
            N_("Taux d'appels perdus"),
            ratio(t.get("calls_abandoned"), t.get("calls_offered"), 100),
            PERCENT,
            N_("appels entrants raccrochés avant décroché ÷ appels entrants présentés × 100"),
            {"abandoned": t.get("calls_abandoned"), "offered": t.get("calls_offered")},
            t.actions("calls_abandoned"),
        )
    )
    return kpis


def _money_ratio(total, count) -> Decimal | None:
    """Euros ÷ count, to the cent; None without anything counted."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _contacts(t: Tally) -> list[Kpi]:
    """Contacts handled in all, then per channel (a count: 0 is a measured 0)."""
    kpis = [
        Kpi(
            "contacts",
            N_("Contacts traités (tous canaux)"),
            t.get("contacts"),
            COUNT,
            N_("nombre de contacts qualifiés (code et note) pendant la tentative"),
            {"contacts": t.get("contacts")},
            t.actions("contacts"),
        )
    ]
    for channel in channels.CHANNELS.values():
        name = channel.contacts_kpi
        if not channel.at_desk and not t.get(name):
            continue  # not worked at the desk (a letter): shown only if a scenario has one
        kpis.append(
            Kpi(
                name,
                channel.contacts_kpi_label,
                t.get(name),
                COUNT,
                N_("nombre de contacts qualifiés ouverts sur ce canal"),
                {"contacts": t.get(name)},
                t.actions(name),
                channel.name,
            )
        )
    return kpis


def _deadlines(t: Tally) -> list[Kpi]:
    """Answer deadline compliance, per written channel."""
    return [
        Kpi(
            channels.get(channel).deadline_kpi,
            channels.get(channel).deadline_kpi_label,
            ratio(t.get(f"deadlines_met.{channel}"), t.get(f"deadlines.{channel}"), 100),
            PERCENT,
            N_(
                "messages clients répondus dans le délai du canal ÷ messages clients dont le "
                "délai est échu ou qui ont reçu leur réponse × 100 (un message sans réponse "
                "dont le délai court encore n'est pas compté)"
            ),
            {
                "within": t.get(f"deadlines_met.{channel}"),
                "due": t.get(f"deadlines.{channel}"),
            },
            t.actions(f"deadlines.{channel}"),
            channel,
        )
        for channel in channels.names(written=True)
    ]
