"""The KPI charts drawn in the PDF report with fpdf2's own shapes: the same bars, axis and
colours as the KPI pages' SVG (crm/evaluation/charts.py, static/css/bench.css), from the rows
the page's chart was drawn from (`crm.bench.charts.Chart.bars`).

Drawn rather than embedded: the page's SVG takes its colours from the stylesheet (the
Content-Security-Policy forbids style attributes), which an embedded image would not see.
"""

from __future__ import annotations

from crm.evaluation.charts import Row, scale

#: The stylesheet's colours (static/css/bench.css), by CSS class of a piece or legend key.
COLOURS = {
    "talk": (31, 78, 121),
    "hold": (224, 168, 0),
    "wrap": (111, 66, 193),
    "outcome": (31, 78, 121),
    "in-time": (47, 158, 68),
    "late": (201, 42, 42),
    "deadline": (33, 37, 41),
    "state-ready": (47, 158, 68),
    "state-ringing": (240, 140, 0),
    "state-on_call": (31, 78, 121),
    "state-on_hold": (224, 168, 0),
    "state-wrap_up": (111, 66, 193),
    "state-pause": (173, 181, 189),
}
OTHER = (108, 117, 125)
INK, MUTED, GRID = (33, 37, 41), (108, 117, 125), (222, 226, 230)
#: Millimetres: the labels' column, a row, a bar, the axis under the rows, a legend line.
LABEL_WIDTH, ROW, BAR, AXIS, LEGEND = 44, 5.2, 3.6, 5, 5
#: Rows drawn at most (the KPI page lists them all); the rest are counted under the chart.
MAX_ROWS = 30


def _fit(pdf, text: str, width: float) -> str:
    """`text` cut with « … » to fit `width` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def chart_height(chart, family: str) -> float:
    """The height the chart takes, to keep it on one page."""
    rows = min(len(chart.bars), MAX_ROWS)
    more = LEGEND if len(chart.bars) > MAX_ROWS else 0
    return 7 + ROW * rows + AXIS + (LEGEND if chart.keys else 0) + more + 3


def draw_chart(pdf, chart, family: str) -> None:
    """Draw one chart (title, bars, axis, legend) at the current position, leaving colours
    and line width as they were (the tables after it fill with the current colour)."""
    if pdf.get_y() + chart_height(chart, family) > pdf.h - pdf.b_margin:
        pdf.add_page()
    with pdf.local_context():
        _draw(pdf, chart, family)
    pdf.ln(3)


def _draw(pdf, chart, family: str) -> None:
    rows: list[Row] = list(chart.bars[:MAX_ROWS])
    pdf.set_font(family, "B", 9.5)
    pdf.set_text_color(*INK)
    pdf.cell(0, 6, chart.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    ticks, top = scale(rows)
    left = pdf.l_margin + LABEL_WIDTH
    width = pdf.w - pdf.r_margin - left - 6
    y0 = pdf.get_y()
    bottom = y0 + ROW * len(rows)

    def x(value: float) -> float:
        return left + width * value / top

    pdf.set_draw_color(*GRID)
    pdf.set_line_width(0.2)
    pdf.set_font(family, "", 7)
    pdf.set_text_color(*MUTED)
    for tick in ticks:
        pdf.line(x(tick), y0, x(tick), bottom)
        text = chart.tick_text(tick)
        pdf.text(x(tick) - pdf.get_string_width(text) / 2, bottom + 3.5, text)
    pdf.set_font(family, "", 8)
    pdf.set_text_color(*INK)
    for index, row in enumerate(rows):
        y = y0 + ROW * index
        pdf.set_xy(pdf.l_margin, y)
        # Clear of the axis: a deadline mark at 0 would run into the label.
        pdf.cell(LABEL_WIDTH - 3, BAR, _fit(pdf, row.label, LABEL_WIDTH - 4), align="R")
        cursor = 0.0
        for piece in row.pieces:
            start = cursor if piece.start is None else piece.start
            pdf.set_fill_color(*COLOURS.get(piece.css, OTHER))
            pdf.rect(x(start), y, max(0.3, x(start + piece.value) - x(start)), BAR, style="F")
            if piece.start is None:
                cursor += piece.value
        if row.mark is not None:
            pdf.set_draw_color(*COLOURS["deadline"])
            pdf.set_line_width(0.5)
            mark = x(max(0.0, row.mark))
            pdf.line(mark, y - 0.6, mark, y + BAR + 0.6)
            pdf.set_draw_color(*GRID)
            pdf.set_line_width(0.2)
    pdf.set_y(bottom + AXIS)
    if len(chart.bars) > MAX_ROWS:
        pdf.set_font(family, "I", 7.5)
        pdf.set_text_color(*MUTED)
        rest = len(chart.bars) - MAX_ROWS
        pdf.cell(0, LEGEND, f"… et {rest} de plus (voir la page des indicateurs).")
        pdf.ln(LEGEND)
    if chart.keys:
        _legend(pdf, chart.keys, family)


def _legend(pdf, keys, family: str) -> None:
    """Colour squares and their labels on one line (wrapping when full)."""
    pdf.set_font(family, "", 7.5)
    pdf.set_text_color(*INK)
    x, y = pdf.l_margin + LABEL_WIDTH, pdf.get_y()
    for css, label in keys:
        needed = 4 + pdf.get_string_width(label) + 5
        if x + needed > pdf.w - pdf.r_margin:
            x, y = pdf.l_margin + LABEL_WIDTH, y + LEGEND
        pdf.set_fill_color(*COLOURS.get(css, OTHER))
        if css == "deadline":
            pdf.rect(x, y + 1.4, 3, 0.7, style="F")
        else:
            pdf.rect(x, y + 0.5, 2.6, 2.6, style="F")
        pdf.text(x + 4, y + 2.9, label)
        x += needed
    pdf.set_y(y + LEGEND)
