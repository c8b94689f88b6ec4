"""The KPI pages' charts (attempt and shift): the series of crm.evaluation.kpis.series drawn by
crm.evaluation.charts, each with its figures as a table for whoever cannot read the chart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from crm import channels
from crm.evaluation.charts import Piece, Row, bar_chart, legend
from crm.evaluation.kpis.series import Series
from crm.evaluation.rules.wording import duration
from crm.i18n import _, _l

#: Phone states in the timeline (labels as on the desk), in the legend's order.
STATES = {
    "ready": _l("Prêt"),
    "ringing": _l("Sonnerie"),
    "on_call": _l("En communication"),
    "on_hold": _l("Client en attente"),
    "wrap_up": _l("Après-appel"),
    "pause": _l("En pause"),
}


@dataclass(frozen=True)
class Chart:
    """One chart as the page shows it: heading, SVG, legend, and its data as a table; with the
    bars and legend keys it was drawn from, for the PDF report to draw it again
    (crm/evaluation/pdf_charts.py)."""

    chart_id: str
    title: str
    svg: Markup | None
    legend: Markup | None
    head: tuple[str, ...]
    rows: list[tuple[str, ...]]
    empty: str
    bars: tuple[Row, ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    #: How an axis tick reads (durations as « 2 min »; counts as numbers).
    tick_text: Callable[[float], str] = lambda value: f"{value:g}"


def _minutes(value: float) -> str:
    return duration(value)


def _handle_times(series: Series) -> Chart:
    title = _("Durée de traitement par appel")
    rows = [
        Row(
            call.label,
            (
                Piece("talk", call.talk, _("Conversation : %(t)s", t=duration(call.talk))),
                Piece("hold", call.hold, _("Attente : %(t)s", t=duration(call.hold))),
                Piece("wrap", call.wrap_up, _("Après-appel : %(t)s", t=duration(call.wrap_up))),
            ),
        )
        for call in series.calls
    ]
    svg = (
        bar_chart(
            "chart-handle-time",
            title,
            _("Conversation, attente et après-appel de chaque appel terminé, en secondes."),
            rows,
            tick_text=_minutes,
        )
        if rows
        else None
    )
    keys = (("talk", _("Conversation")), ("hold", _("Attente")), ("wrap", _("Après-appel")))
    return Chart(
        "chart-handle-time",
        title,
        svg,
        legend(list(keys)),
        (_("Appel"), _("Conversation"), _("Attente"), _("Après-appel"), _("Total")),
        [
            (c.label, duration(c.talk), duration(c.hold), duration(c.wrap_up), duration(c.total))
            for c in series.calls
        ],
        _("Aucun appel terminé."),
        tuple(rows),
        keys,
        _minutes,
    )


def _states(series: Series) -> Chart:
    title = _("États du téléphone pendant la séance")
    rows = [
        Row(
            row.label,
            tuple(
                Piece(
                    f"state-{span.state}",
                    span.end - span.start,
                    f"{STATES.get(span.state, span.state)} : {duration(span.end - span.start)}",
                    start=span.start,
                )
                for span in row.spans
            ),
        )
        for row in series.states
    ]
    svg = (
        bar_chart(
            "chart-states",
            title,
            _("Chaque état du poste, depuis le début de la séance (temps écoulé)."),
            rows,
            tick_text=_minutes,
        )
        if rows
        else None
    )
    keys = tuple((f"state-{key}", str(label)) for key, label in STATES.items())
    return Chart(
        "chart-states",
        title,
        svg,
        legend(list(keys)),
        (_("Poste"), _("État"), _("Depuis le début"), _("Durée")),
        [
            (
                row.label,
                str(STATES.get(span.state, span.state)),
                duration(span.start),
                duration(span.end - span.start),
            )
            for row in series.states
            for span in row.spans
        ],
        _("Le téléphone n'a pas été connecté."),
        tuple(rows),
        keys,
        _minutes,
    )


def _outcomes(series: Series) -> Chart:
    title = _("Contacts par code de qualification")
    ranked = series.outcomes.most_common()
    rows = [
        Row(code, (Piece("outcome", n, _("%(code)s : %(n)s", code=code, n=n)),))
        for code, n in ranked
    ]
    svg = (
        bar_chart("chart-outcomes", title, _("Nombre de contacts qualifiés par code."), rows)
        if rows
        else None
    )
    return Chart(
        "chart-outcomes",
        title,
        svg,
        None,
        (_("Code"), _("Contacts")),
        [(code, str(n)) for code, n in ranked],
        _("Aucun contact qualifié."),
        tuple(rows),
    )


def _delays(series: Series) -> Chart:
    title = _("Délais de réponse et échéances")
    rows = []
    for item in series.delays:
        channel = str(channels.label_of(item.channel))
        label = f"{channel} {item.label}"
        if item.delay is None:
            piece = Piece("late", item.allowed, _("Sans réponse à l'échéance"))
        else:
            piece = Piece(
                "late" if item.late else "in-time",
                item.delay,
                _("Réponse en %(t)s", t=duration(item.delay)),
            )
        rows.append(
            Row(label, (piece,), item.allowed, _("Échéance : %(t)s", t=duration(item.allowed)))
        )
    svg = (
        bar_chart(
            "chart-delays",
            title,
            _("Délai de chaque réponse écrite ; le trait marque l'échéance du canal."),
            rows,
            tick_text=_minutes,
        )
        if rows
        else None
    )
    keys = (
        ("in-time", _("Dans le délai")),
        ("late", _("En retard ou sans réponse")),
        ("deadline", _("Échéance")),
    )
    return Chart(
        "chart-delays",
        title,
        svg,
        legend(list(keys)),
        (_("Message"), _("Délai de réponse"), _("Échéance"), _("Résultat")),
        [
            (
                f"{channels.label_of(d.channel)} {d.label}",
                duration(d.delay) if d.delay is not None else _("sans réponse"),
                duration(d.allowed),
                _("en retard") if d.late else _("dans le délai"),
            )
            for d in series.delays
        ],
        _("Aucun message écrit dont l'échéance est passée."),
        tuple(rows),
        keys,
        _minutes,
    )


def kpi_charts(series: Series) -> list[Chart]:
    """The four charts of a KPI page."""
    return [_handle_times(series), _states(series), _outcomes(series), _delays(series)]
