"""The PDF of an attempt's report (French), laid out with fpdf2 from an `AttemptReport`.

A pure renderer: `render_report(report) -> bytes` reads nothing but its argument. Text is set
in DejaVu Sans Condensed (shipped in crm/evaluation/fonts/, see its LICENSE) so that French
accents, « », œ and € print on any machine.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.fonts import FontFace

from crm.evaluation.grades import GRADES
from crm.evaluation.pdf_charts import draw_chart
from crm.evaluation.report import AttemptReport, ReportCriterion

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
PARIS = ZoneInfo("Europe/Paris")
#: How many action numbers a verdict lists before summarising the rest.
MAX_NUMBERS = 40

STATUS_LABELS = {
    "met": "Atteint",
    "not_met": "Non atteint",
    "not_observed": "Non observé",
    "to_grade": "À juger par l'évaluateur",
}
ROLE_LABELS = {"first": "premier correcteur", "second": "second correcteur"}
GRID_HEADINGS = ("Critère", "Verdict automatique", "Note finale", "Auto-\névaluation")
MODE_LABELS = {"automatic": "automatique", "judgement": "jugement"}

INK, MUTED, ACCENT = (33, 37, 41), (108, 117, 125), (31, 78, 121)
RULE, HEAD_FILL = (206, 212, 218), (231, 238, 245)
#: Cell tints: good, partly, bad, not seen.
TINTS = {
    "met": (223, 240, 216),
    "acquired": (223, 240, 216),
    "in_progress": (252, 243, 207),
    "not_met": (248, 215, 218),
    "not_acquired": (248, 215, 218),
    "not_observed": (236, 236, 236),
}


def when(moment: datetime | None) -> str:
    """A UTC moment as Paris time: « 25/11/2026 à 14:05 » (« — » when absent)."""
    if moment is None:
        return "—"
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def numbers_text(numbers: tuple[int, ...]) -> str:
    """« Actions n° 3, 7, 12 », the list cut after MAX_NUMBERS."""
    if not numbers:
        return ""
    shown = ", ".join(str(n) for n in numbers[:MAX_NUMBERS])
    rest = len(numbers) - MAX_NUMBERS
    label = "Action n° " if len(numbers) == 1 else "Actions n° "
    return label + shown + (f" … (et {rest} autres)" if rest > 0 else "")


class ReportPdf(FPDF):
    """A4 portrait, running title on pages after the first, page numbers in the footer."""

    def __init__(self, report: AttemptReport):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSansCondensed.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSansCondensed-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONTS / "DejaVuSansCondensed-Oblique.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"Rapport d'évaluation — {report.candidate} — {report.standard_title}")
        self.set_author("Plateau")
        self.set_creator("Plateau")
        self.set_lang("fr-FR")

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        r = self.report
        self.cell(0, 5, f"Rapport d'évaluation · {r.candidate} · tentative n° {r.attempt_id}")
        self.ln(4)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(*INK)

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"Plateau · généré le {when(self.report.generated_at)}", align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} / {{nb}}", align="R")

    # --- building blocks -----------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A section title with a rule under it (kept with what follows)."""
        if self.get_y() > self.h - 50:
            self.add_page()
        self.ln(3)
        self.set_font(FAMILY, "B", 12)
        self.set_text_color(*ACCENT)
        self.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.set_text_color(*INK)

    def paragraph(self, text: str, size: float = 9, style: str = "") -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, 4.6, text, new_x="LMARGIN", new_y="NEXT")

    def key_values(self, rows: list[tuple[str, str]]) -> None:
        """Label / value pairs, labels in grey."""
        self.set_font(FAMILY, "", 9.5)
        with self.table(
            col_widths=(38, 142),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align="LEFT",
            v_align="TOP",
            line_height=5,
            padding=(0.6, 1),
        ) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label, style=FontFace(color=MUTED))
                row.cell(value)


def _title_block(pdf: ReportPdf, r: AttemptReport) -> None:
    pdf.set_font(FAMILY, "B", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, "PLATEAU · ÉVALUATION DES COMPÉTENCES", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 20)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 10, "Rapport d'évaluation", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 12)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 6, r.standard_title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)
    period = f"du {when(r.shift_started_at)}"
    if r.shift_ended_at:
        period += f" au {when(r.shift_ended_at)}"
    pdf.key_values(
        [
            ("Candidat", f"{r.candidate} ({r.candidate_username})"),
            ("Séance", f"{r.shift} — {period}" if r.shift_started_at else r.shift),
            ("Scénario", r.scenario),
            ("Tentative", f"n° {r.attempt_id} (essai {r.attempt_number})"),
            ("Référentiel", f"{r.standard_title} — version {r.standard_version} ({r.standard_id})"),
            ("Signature", _signature_line(r)),
        ]
    )


def _signature_line(r: AttemptReport) -> str:
    if r.signature is None:
        return "Non signé : les notes peuvent encore changer."
    return f"Signé le {when(r.signature.signed_at)} par " + ", ".join(
        s.name for s in r.signature.signers
    )


def _summary(pdf: ReportPdf, r: AttemptReport) -> None:
    pdf.heading("Synthèse")
    auto = [c for c in r.criteria if c.mode == "automatic"]
    statuses = Counter(c.status for c in auto)
    grades = Counter(c.grade for c in r.criteria)
    pdf.paragraph(
        f"{len(r.criteria)} critères, dont {len(auto)} décidés automatiquement à partir du "
        f"journal (atteints : {statuses['met']} ; non atteints : {statuses['not_met']} ; "
        f"non observés : {statuses['not_observed']}) et {len(r.criteria) - len(auto)} à juger "
        "par l'évaluateur."
    )
    graded = " ; ".join(f"{label.lower()} : {grades[code]}" for code, label in GRADES.items())
    pending = f" ({r.grading_state})" if grades[None] and r.grading_state else ""
    pdf.paragraph(f"Notes finales — {graded} ; non noté : {grades[None]}{pending}.")
    if r.provisional:
        pdf.paragraph(
            "Verdicts provisoires : la séance était en cours au moment du rapport ; le journal "
            "pouvait encore s'allonger et chaque verdict automatique changer d'ici la fin.",
            style="B",
        )
    if r.grades_hidden:
        pdf.paragraph(
            "Notes masquées : la double correction est en cours, chaque correcteur ne voit que "
            "sa propre notation jusqu'à ce que les deux soient remises.",
            style="I",
        )


def _kpis(pdf: ReportPdf, r: AttemptReport) -> None:
    pdf.heading("Indicateurs de l'activité")
    pdf.paragraph(
        "Calculés à partir des actions du journal au moment du rapport ; « non mesurable » : "
        "rien à mesurer pendant la tentative.",
        size=8.5,
        style="I",
    )
    pdf.ln(1)
    pdf.set_font(FAMILY, "", 8.5)
    with pdf.table(
        col_widths=(48, 26, 106),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
        borders_layout="HORIZONTAL_LINES",
        line_height=4.2,
        padding=1.2,
        text_align=("LEFT", "RIGHT", "LEFT"),
        v_align="TOP",
    ) as table:
        head = table.row()
        for title in ("Indicateur", "Valeur", "Formule et données"):
            head.cell(title)
        for kpi in r.kpis:
            row = table.row()
            row.cell(kpi.label)
            row.cell(kpi.display(), style=FontFace(emphasis="BOLD"))
            detail = kpi.formula
            if kpi.figures:
                detail += "\n" + kpi.figures_text()
            row.cell(detail)


def _charts(pdf: ReportPdf, r: AttemptReport) -> None:
    """The KPI page's four charts, drawn (one line for a chart with nothing to draw)."""
    if not r.charts:
        return
    pdf.heading("Graphiques de l'activité")
    for chart in r.charts:
        if chart.bars:
            draw_chart(pdf, chart, FAMILY)
        else:
            pdf.paragraph(f"{chart.title} : {chart.empty}", size=8.5)
            pdf.ln(1)


def _criterion_cells(c: ReportCriterion) -> tuple[str, str, str, str]:
    criterion = f"{c.id} · {MODE_LABELS.get(c.mode, c.mode)}\n{c.text}"
    verdict = STATUS_LABELS.get(c.status, c.status)
    if c.provisional:
        verdict += " (provisoire)"
    if c.explanation:
        verdict += "\n" + c.explanation
    if c.met or c.not_met:
        for label, numbers in (("Respecté", c.met), ("Non respecté", c.not_met)):
            if numbers:
                verdict += f"\n{label} : " + numbers_text(numbers)
    elif c.evidence:
        verdict += "\n" + numbers_text(c.evidence)
    grade = GRADES.get(c.grade, "Non noté") if c.grade else "Non noté"
    if not c.grade and c.pending:
        grade += f" ({c.pending})"
    if c.comment:
        grade += "\n" + c.comment
    own = GRADES.get(c.self_grade, "—") if c.self_grade else "—"
    return criterion, verdict, grade, own


def _grid(pdf: ReportPdf, r: AttemptReport) -> None:
    pdf.heading("Grille d'évaluation")
    pdf.paragraph(
        "Pour chaque critère, dans le libellé officiel du référentiel : le verdict automatique "
        "et les numéros des actions du journal qui le fondent ; la note finale et son "
        "commentaire (la note remise, ou celle dont les deux correcteurs sont convenus) ; "
        "l'auto-évaluation du candidat.",
        size=8.5,
        style="I",
    )
    for (comp_id, comp_title), items in groupby(
        r.criteria, key=lambda c: (c.competency_id, c.competency_title)
    ):
        items = list(items)
        if pdf.get_y() > pdf.h - 60:
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(0, 5, f"{comp_id} — {comp_title}", new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1)
        pdf.set_font(FAMILY, "", 8.5)
        with pdf.table(
            col_widths=(66, 56, 35, 23),
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            borders_layout="SINGLE_TOP_LINE",
            text_align="LEFT",
            v_align="TOP",
            line_height=4.2,
            padding=1.2,
        ) as table:
            head = table.row()
            for title in GRID_HEADINGS:
                head.cell(title)
            for c in items:
                criterion, verdict, grade, own = _criterion_cells(c)
                row = table.row()
                row.cell(criterion)
                row.cell(verdict, style=_tint(c.status))
                row.cell(grade, style=_tint(c.grade))
                row.cell(own)


def _tint(code: str | None) -> FontFace | None:
    colour = TINTS.get(code or "")
    return FontFace(fill_color=colour) if colour else None


def _log_and_signatures(pdf: ReportPdf, r: AttemptReport) -> None:
    pdf.heading("Journal et signatures")
    if r.chain_valid:
        integrity = "chaîne d'empreintes vérifiée"
        if r.signature is not None:
            integrity += ", passant par la tête enregistrée à la signature"
    else:
        integrity = (
            "ALTÉRÉE : le journal ne correspond plus à sa chaîne d'empreintes ou à la tête "
            "enregistrée à la signature"
        )
    rows = [
        ("Actions", f"{r.action_count} actions enregistrées dans le journal"),
        ("Tête de chaîne", f"SHA-256 {r.chain_head}"),
        ("Intégrité", integrity),
    ]
    s = r.signature
    if s is None:
        rows.append(("Signatures", "Non signé"))
    else:
        signers = "\n".join(
            f"{x.name} ({ROLE_LABELS.get(x.role, x.role)})" if x.role else x.name for x in s.signers
        )
        rows += [
            ("Signé le", when(s.signed_at)),
            ("Signataires", signers or "—"),
            ("Journal signé", f"{s.action_count} actions, tête SHA-256 {s.chain_head}"),
        ]
        if r.chain_valid and (s.chain_head, s.action_count) != (r.chain_head, r.action_count):
            rows.append(
                (
                    "Attention",
                    f"le journal a changé depuis la signature ({r.action_count - s.action_count}"
                    " actions de plus) : le rapport montre le journal actuel.",
                )
            )
    pdf.key_values(rows)


def render_report(report: AttemptReport) -> bytes:
    """The report as PDF bytes."""
    pdf = ReportPdf(report)
    pdf.add_page()
    _title_block(pdf, report)
    _summary(pdf, report)
    _kpis(pdf, report)
    _charts(pdf, report)
    _grid(pdf, report)
    _log_and_signatures(pdf, report)
    return bytes(pdf.output())
