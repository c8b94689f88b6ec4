"""The one CSV writer of the app: French-spreadsheet format, and no cell a spreadsheet runs.

UTF-8 with a byte-order mark and `;` as separator: what Excel set to French opens directly.
A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is read by spreadsheets as
a formula (`=HYPERLINK("http://evil.example","x")` in an evaluator's comment becomes a live
link, or worse): as OWASP recommends (CSV Injection), such a cell is prefixed with `'`, which
spreadsheets show as text and do not display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

#: What a cell may not start with: spreadsheets treat it as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell's text, prefixed with `'` when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Iterable]) -> str:
    """The CSV text of `rows`: BOM first, `;`-separated, CRLF line ends, every cell neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return out.getvalue()
