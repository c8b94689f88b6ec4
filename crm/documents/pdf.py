"""PDF layouts of a client's documents (fpdf2): pure renderers of plain dataclasses.

Text is set in DejaVu Sans Condensed (crm/evaluation/fonts) so that accents, « » and € print.
The creation date is the generation moment given, so the same input gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from fpdf import FPDF

from crm.evaluation.pdf import FONTS

FAMILY = "DejaVu"


@dataclass(frozen=True)
class Row:
    """One line of a document's table: a label and its cells."""

    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """What a document says: who from, who to, a title, facts, a table and totals."""

    company: dict
    addressee: list[str]
    title: str
    facts: list[tuple[str, str]]
    headings: tuple[str, ...]
    rows: list[Row]
    totals: list[tuple[str, str]] = field(default_factory=list)
    footer: str = ""


def euros(value: Decimal) -> str:
    """« 1 234,50 € »."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} €"


def render_sheet(sheet: Sheet, made_at: datetime) -> bytes:
    """The PDF bytes of a sheet."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(made_at)
    pdf.set_title(sheet.title)
    pdf.set_author(sheet.company.get("name") or "")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSansCondensed.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 14)
    pdf.cell(
        0,
        8,
        sheet.company.get("legal_name") or sheet.company.get("name") or "",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FAMILY, "", 9)
    address = sheet.company.get("address") or {}
    for line in (
        address.get("street"),
        " ".join(p for p in (address.get("postcode"), address.get("city")) if p),
        sheet.company.get("phone"),
        sheet.company.get("email"),
    ):
        if line:
            pdf.cell(0, 5, str(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_x(120)
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(80, 5, "\n".join(sheet.addressee), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 13)
    pdf.cell(0, 8, sheet.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    for label, value in sheet.facts:
        pdf.cell(50, 6, label)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if sheet.rows:
        with pdf.table(text_align="LEFT", line_height=6) as table:
            pdf.set_font(FAMILY, "B", 9)
            table.row(sheet.headings)
            pdf.set_font(FAMILY, "", 9)
            for row in sheet.rows:
                table.row(row.cells)
    pdf.ln(4)
    pdf.set_font(FAMILY, "B", 10)
    for label, value in sheet.totals:
        pdf.cell(140, 6, label, align="R")
        pdf.cell(0, 6, value, align="R", new_x="LMARGIN", new_y="NEXT")
    if sheet.footer:
        pdf.ln(6)
        pdf.set_font(FAMILY, "", 8)
        pdf.multi_cell(0, 4, sheet.footer, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
