"""The PDF report draws the KPI page's four charts (crm/evaluation/pdf_charts.py): their titles,
bars in the page's colours, legends, in French whatever the screen's language."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from crm.evaluation.pdf_charts import COLOURS

from .kpi_desk import work_the_desk
from .test_report import CQP, pdf_text

CHART_TITLES = (
    "Durée de traitement par appel",
    "États du téléphone pendant la séance",
    "Contacts par code de qualification",
    "Délais de réponse et échéances",
)


def _fill(rgb: tuple[int, int, int]) -> bytes:
    """fpdf2's fill-colour operator for a colour."""
    return (" ".join(f"{c / 255:.4f}" for c in rgb) + " rg").encode()


def _drawn(data: bytes) -> bytes:
    return b"".join(page.get_contents().get_data() for page in PdfReader(BytesIO(data)).pages)


def test_the_report_draws_the_kpi_charts_in_french(client, login, csrf_from, app, attempt, people):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    login("jury")
    page = client.get("/bench/").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page)})
    assert 'lang="en"' in client.get("/bench/").get_data(as_text=True)

    data = client.get(f"/attempts/{attempt.id}/report.pdf?standard={CQP}").data
    _, text = pdf_text(data)
    assert "Graphiques de l'activité" in text
    for title in CHART_TITLES:
        assert title in text, title
    assert "Après-appel" in text and "Dans le délai" in text  # legends, in French
    assert "Handling time per call" not in text
    drawn = _drawn(data)
    for css in ("talk", "state-on_call", "outcome", "in-time"):
        assert _fill(COLOURS[css]) in drawn, css


def test_a_chart_with_nothing_to_draw_says_so(client, login, attempt):
    login("jury")
    _, text = pdf_text(client.get(f"/attempts/{attempt.id}/report.pdf?standard={CQP}").data)
    assert "Durée de traitement par appel : Aucun appel terminé." in text
