"""The PDF report: the renderer from report data, the assembler, the page and the API.

The assembler's tests put a stand-in for `crm.evaluation.marking` in its place (the
functions the assembler calls), to set grades and signers directly; test_report_graded.py
grades and signs through the real marking services.
"""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from crm.db import db
from crm.evaluation.pdf import numbers_text, render_report
from crm.evaluation.report import build_report
from crm.evaluation.self_assessment import SelfAssessment, SelfGrade
from crm.evaluation.standards import get_standard
from crm.evaluation.verdicts import evaluate

from .kpi_desk import work_the_desk
from .report_samples import HEAD, sample_report

CQP = "cqp-relation-commerciale-a-distance"


def pdf_text(data: bytes) -> tuple[int, str]:
    """Page count and the text of every page (newlines folded into spaces)."""
    reader = PdfReader(BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


# --- the renderer -----------------------------------------------------------------------------


def test_renderer_prints_every_part_of_the_report(app):
    criteria = get_standard(CQP).criteria
    report = sample_report(criteria)
    pages, text = pdf_text(render_report(report))
    assert pages > 2
    for expected in (
        "Rapport d'évaluation",
        "Chloé Lefèvre (candidat1)",
        "Séance du matin — groupe B",
        "Bureau Direct — fournitures de bureau",
        "CQP Relation commerciale à distance",
        "Durée moyenne de traitement (téléphone)",
        "3 min 11 s",
        "137,60 €",
        "non mesurable",  # chat deadline: nothing to measure
        "Actions n° 10, 11, 12",
        "Jeanne Évaluatrice (premier correcteur)",
        "Paul Second (second correcteur)",
        f"SHA-256 {HEAD}",
        "412 actions enregistrées dans le journal",
        f"Page {pages} / {pages}",
    ):
        assert expected in text, expected
    for criterion in criteria:
        assert criterion.id in text
        # The official wording is printed whole (wrapped lines folded back).
        assert " ".join(criterion.text.split()[:6]) in text


def test_unsigned_report_says_so_and_a_changed_log_is_flagged(app):
    criteria = get_standard(CQP).criteria
    _, text = pdf_text(render_report(sample_report(criteria, signed=False)))
    assert "Non signé" in text
    assert "Signé le" not in text
    moved = sample_report(criteria)
    moved = type(moved)(**{**moved.__dict__, "action_count": 420, "chain_head": "ab" * 32})
    _, text = pdf_text(render_report(moved))
    assert "le journal a changé depuis la signature (8 actions de plus)" in text


def test_long_evidence_lists_are_cut():
    assert numbers_text(()) == ""
    assert numbers_text((4,)) == "Action n° 4"
    cut = numbers_text(tuple(range(1, 101)))
    assert cut.startswith("Actions n° 1, 2, 3") and cut.endswith("… (et 60 autres)")


# --- the assembler ----------------------------------------------------------------------------


@pytest.fixture
def marking(monkeypatch):
    """A stand-in for crm.evaluation.marking: set `.grades` and `.sign_off` in the test."""
    module = types.ModuleType("crm.evaluation.marking")
    module.grades, module.sign_off, module.calls = {}, None, []

    def final_grades(attempt_id, standard_id):
        module.calls.append(("final_grades", attempt_id, standard_id))
        return module.grades

    def visible_final_grades(attempt_id, standard_id, viewer_id):
        module.calls.append(("visible_final_grades", attempt_id, standard_id, viewer_id))
        return module.grades

    def sign_off_of(attempt_id, standard_id):
        module.calls.append(("sign_off_of", attempt_id, standard_id))
        return module.sign_off

    def pending_wording(attempt_id, standard_id, viewer_id):
        return types.SimpleNamespace(state="", reason=lambda criterion_id: "")

    module.final_grades, module.sign_off_of = final_grades, sign_off_of
    module.pending_wording = pending_wording
    module.visible_final_grades = visible_final_grades
    monkeypatch.setitem(sys.modules, "crm.evaluation.marking", module)
    return module


def test_build_report_gathers_verdicts_grades_self_assessment_kpis_and_log(
    app, attempt, people, marking
):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    own = SelfAssessment(attempt_id=attempt.id, standard_id=CQP, submitted_at=datetime.now(UTC))
    own.grades.append(SelfGrade(criterion_id="C1-C1", grade="in_progress", comment=""))
    db.session.add(own)
    db.session.commit()
    marking.grades = {"C1-C1": {"grade": "acquired", "comment": "Ciblage rapide."}}
    marking.sign_off = types.SimpleNamespace(
        signers=[
            {"id": 2, "username": "jury", "display_name": "Jury Un", "role": "first"},
            {"id": 3, "username": "jury2", "display_name": "", "role": "second"},
        ],
        signed_at=datetime(2026, 11, 25, 11, 0, tzinfo=UTC),
        chain_head=attempt.chain_head,
        action_count=attempt.action_count,
    )

    report = build_report(attempt, CQP, people["evaluator"].id)

    standard = get_standard(CQP)
    assert [c.id for c in report.criteria] == [c.id for c in standard.criteria]
    first = report.criteria[0]
    assert (first.id, first.grade, first.comment, first.self_grade) == (
        "C1-C1",
        "acquired",
        "Ciblage rapide.",
        "in_progress",
    )
    assert first.text == standard.criteria[0].text
    verdicts = {v.criterion.id: v.status for v in evaluate(attempt, standard).criteria}
    assert {c.id: c.status for c in report.criteria} == verdicts
    assert report.criteria[1].grade is None and report.criteria[1].self_grade is None
    kpis = {k.key: k.value for k in report.kpis}
    assert kpis["handling_time"] == 95.0 and kpis["contacts"] == 3
    assert (report.chain_head, report.action_count) == (attempt.chain_head, attempt.action_count)
    assert report.chain_valid is True
    assert [(s.name, s.role) for s in report.signature.signers] == [
        ("Jury Un", "first"),
        ("jury2", "second"),
    ]
    assert report.candidate == people["cand1"].display_name
    assert report.scenario != "bureau-direct"  # the library's title, not the slug
    assert ("visible_final_grades", attempt.id, CQP, people["evaluator"].id) in marking.calls
    assert ("sign_off_of", attempt.id, CQP) in marking.calls
    _, text = pdf_text(render_report(report))
    assert "Ciblage rapide." in text and "Jury Un (premier correcteur)" in text


# --- the page and the API ---------------------------------------------------------------------


def test_report_page_serves_the_pdf_to_evaluators_only(client, login, attempt, marking):
    url = f"/attempts/{attempt.id}/report.pdf?standard={CQP}"
    assert client.get(url).status_code == 302  # to the login page
    login("jury")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"rapport-tentative-{attempt.id}-{CQP}.pdf" in response.headers["Content-Disposition"]
    _, text = pdf_text(response.data)
    assert "Non signé" in text
    assert client.get(f"/attempts/999999/report.pdf?standard={CQP}").status_code == 404


def test_report_page_refuses_candidates(client, login, attempt, marking):
    login("candidat1")
    assert client.get(f"/attempts/{attempt.id}/report.pdf?standard={CQP}").status_code == 403


def test_report_page_explains_a_missing_or_unknown_standard(client, login, attempt, marking):
    login("formateur")
    attempt.shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    missing = client.get(f"/attempts/{attempt.id}/report.pdf")
    assert missing.status_code == 422
    assert "Choisissez le référentiel du rapport" in missing.get_data(as_text=True)
    unknown = client.get(f"/attempts/{attempt.id}/report.pdf?standard=nope")
    assert unknown.status_code == 422
    assert "Référentiel inconnu" in unknown.get_data(as_text=True)
    assert CQP in unknown.get_data(as_text=True)


def test_report_defaults_to_the_shifts_standard(client, login, shift, attempt, marking):
    shift.standard = CQP
    db.session.commit()
    login("jury")
    response = client.get(f"/attempts/{attempt.id}/report.pdf")
    assert response.status_code == 200
    assert "Relation commerciale à distance" in pdf_text(response.data)[1]


def test_report_api(api, attempt, marking):
    jury = api.as_("jury")
    response = jury.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    bad = jury.get(f"/attempts/{attempt.id}/report.pdf", standard="nope")
    assert bad.status_code == 422
    assert "standard" in bad.get_json()["error"]["fields"]
    assert jury.get("/attempts/999999/report.pdf", standard=CQP).status_code == 404
    candidate = api.as_("candidat1")
    assert candidate.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP).status_code == 403


def test_a_provisional_report_says_so_and_splits_the_evidence(app):
    criteria = get_standard(CQP).criteria
    report = sample_report(criteria)
    first = report.criteria[0]
    split = type(first)(
        **{**first.__dict__, "met": (10,), "not_met": (11, 12), "provisional": True}
    )
    report = type(report)(
        **{**report.__dict__, "criteria": (split, *report.criteria[1:]), "provisional": True}
    )
    _, text = pdf_text(render_report(report))
    assert "Verdicts provisoires : la séance était en cours" in text
    assert "(provisoire)" in text
    assert "Respecté : Action n° 10" in text
    assert "Non respecté : Actions n° 11, 12" in text
    _, final = pdf_text(render_report(sample_report(criteria)))
    assert "provisoire" not in final
