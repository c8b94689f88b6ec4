"""Small server-rendered SVG charts for the KPI pages: horizontal bars, stacked or with a mark.

Each chart is an SVG string (markupsafe.Markup, every text escaped) with a <title> and <desc>
read by screen readers (role="img"), colours and sizes set by CSS classes (static/css/bench.css:
the Content-Security-Policy forbids style attributes), no script. The page shows the same
figures in a table beside it, for whoever cannot read the chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 560
LABEL = 150
#: Room on the right for the last tick's text.
RIGHT = 34
ROW = 22
BAR = 14
TOP = 8
AXIS = 22


@dataclass(frozen=True)
class Piece:
    """One stacked piece of a bar: its CSS class (colour), value, and the text of its tooltip."""

    css: str
    value: float
    text: str
    #: Where the piece starts (timelines); None: after the previous piece.
    start: float | None = None


@dataclass(frozen=True)
class Row:
    """One bar: its label, its pieces, and an optional mark (a deadline) on the same scale."""

    label: str
    pieces: tuple[Piece, ...]
    mark: float | None = None
    mark_text: str = ""


def _ticks(top: float) -> list[float]:
    """Four or five round ticks from 0 to at least `top`."""
    if top <= 0:
        return [0.0]
    raw = top / 4
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(int(top // step) + 2) if i * step <= top + step]


def scale(rows: list[Row]) -> tuple[list[float], float]:
    """The axis of these rows: its ticks, and the value at its right end (the SVG here and the
    PDF report's drawing, crm/evaluation/pdf_charts.py, share it)."""
    top = max(
        [
            max(
                [(p.start or 0) + p.value for p in r.pieces if p.start is not None]
                + [sum(p.value for p in r.pieces if p.start is None)]
            )
            for r in rows
        ]
        + [r.mark or 0 for r in rows]
        + [0]
    )
    ticks = _ticks(top)
    return ticks, max(ticks[-1], top) or 1


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: list[Row],
    *,
    tick_text=lambda value: f"{value:g}",
) -> Markup:
    """Horizontal bars, one per row, pieces stacked (or placed at their `start`)."""
    ticks, scale_top = scale(rows)
    plot = WIDTH - LABEL - RIGHT
    height = TOP + ROW * len(rows) + AXIS

    def x(value: float) -> float:
        return round(LABEL + plot * value / scale_top, 1)

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" role="img" '
            'viewBox="0 0 {w} {h}" aria-labelledby="{id}-title {id}-desc">'
            '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        ).format(id=chart_id, w=WIDTH, h=height, title=title, desc=description)
    ]
    for tick in ticks:
        parts.append(
            Markup(
                '<line class="chart-grid" x1="{x}" x2="{x}" y1="{t}" y2="{b}"/>'
                '<text class="chart-tick" x="{x}" y="{ty}" text-anchor="middle">{text}</text>'
            ).format(x=x(tick), t=TOP, b=height - AXIS, ty=height - 6, text=tick_text(tick))
        )
    for index, row in enumerate(rows):
        y = TOP + ROW * index
        parts.append(
            Markup(
                '<text class="chart-label" x="{x}" y="{y}" text-anchor="end">{label}</text>'
            ).format(x=LABEL - 6, y=y + BAR - 2, label=row.label)
        )
        cursor = 0.0
        for piece in row.pieces:
            start = cursor if piece.start is None else piece.start
            parts.append(
                Markup(
                    '<rect class="chart-bar {css}" x="{x}" y="{y}" width="{w}" height="{h}">'
                    "<title>{text}</title></rect>"
                ).format(
                    css=piece.css,
                    x=x(start),
                    y=y,
                    w=max(0.5, round(x(start + piece.value) - x(start), 1)),
                    h=BAR,
                    text=piece.text,
                )
            )
            if piece.start is None:
                cursor += piece.value
        if row.mark is not None:
            parts.append(
                Markup(
                    '<line class="chart-mark" x1="{x}" x2="{x}" y1="{t}" y2="{b}">'
                    "<title>{text}</title></line>"
                ).format(x=x(row.mark), t=y - 2, b=y + BAR + 2, text=row.mark_text)
            )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def legend(items: list[tuple[str, str]]) -> Markup:
    """The colours' meaning: (CSS class, label) pairs."""
    return Markup('<ul class="chart-legend">{}</ul>').format(
        Markup("").join(
            Markup('<li><span class="chart-key {}"></span>{}</li>').format(css, escape(text))
            for css, text in items
        )
    )
