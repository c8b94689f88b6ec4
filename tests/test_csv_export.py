"""The app's one CSV writer: French-spreadsheet format, and no cell a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from crm.csv_export import csv_text, neutralise
from crm.evaluation.standards import get_standard

CQP = "cqp-relation-commerciale-a-distance"
EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Bien = rapide", "Bien = rapide"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_cells_a_spreadsheet_would_run_are_prefixed(cell, written):
    assert neutralise(cell) == written


def test_csv_text_is_french_spreadsheet_csv():
    text = csv_text([["a", "b;c"], [EVIL, "x"]])
    assert text.startswith("\ufeff") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["a", "b;c"], ["'" + EVIL, "x"]]


def test_a_formula_in_a_comment_reaches_grades_csv_as_text(api, attempt, people):
    jury = api.as_("jury")
    grid = {c.id: {"grade": "acquired"} for c in get_standard(CQP).criteria}
    grid["C1-C1"] = {"grade": "acquired", "comment": EVIL}
    response = jury.client.put(
        f"/api/v1/attempts/{attempt.id}/grades?standard={CQP}",
        headers=jury._headers(),
        json={"grades": grid},
    )
    assert response.status_code == 200
    assert jury.post(f"/attempts/{attempt.id}/grades/submit?standard={CQP}").status_code == 200
    raw = jury.get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    comments = [row[rows[0].index("Commentaire")] for row in rows[1:]]
    assert "'" + EVIL in comments
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_openapi_describes_what_the_exports_show(api, people):
    paths = api.as_("jury").get("/openapi.json").get_json()["paths"]
    grades_csv = paths["/api/v1/shifts/{shift_id}/grades.csv"]["get"]["description"]
    assert "blind double marking" in grades_csv and "chain head" in grades_csv
    assert "prefixed with `'`" in grades_csv
    report = paths["/api/v1/attempts/{attempt_id}/report.pdf"]["get"]["description"]
    assert "blind double marking" in report and "sealed at sign-off" in report
    verify = paths["/api/v1/attempts/{attempt_id}/verify"]["get"]["description"]
    assert "sealed at sign-off" in verify
