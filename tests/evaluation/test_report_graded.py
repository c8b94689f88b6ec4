"""The PDF report of a worked attempt graded and signed through the real marking services.

test_report.py checks the renderer and the assembler with a stand-in for the marking module;
here the grades, the agreed grade and the sign-off are those the bench writes, and the PDF is
fetched through its page, as an evaluator downloads it.
"""

from __future__ import annotations

import pytest

from crm.db import db
from crm.evaluation.marking.services import (
    agree_grade,
    save_grades,
    sign_off_grades,
    submit_marking,
)
from crm.evaluation.standards import get_standard

from .kpi_desk import work_the_desk
from .test_report import pdf_text

CQP = "cqp-relation-commerciale-a-distance"
REAC = "tp-crcd-reac-2011"


def _grade_all(attempt, standard, user, grade, **special):
    """Grade every criterion `grade`, except `special` ids given (grade, comment)."""
    entries = {c.id: {"grade": grade, "comment": ""} for c in standard.criteria}
    for criterion_id, (value, comment) in special.items():
        entries[criterion_id] = {"grade": value, "comment": comment}
    save_grades(attempt, standard, user, entries)
    submit_marking(attempt, standard, user)
    db.session.commit()


def _report(client, attempt, standard_id) -> str:
    response = client.get(f"/attempts/{attempt.id}/report.pdf?standard={standard_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    return pdf_text(response.data)[1]


@pytest.fixture
def worked(app, attempt, people):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    db.session.refresh(attempt)
    return attempt


def test_single_marking_signed_on_the_cqp(client, login, worked, people):
    standard = get_standard(CQP)
    first = standard.criteria[0]
    jury = people["evaluator"]
    _grade_all(
        worked,
        standard,
        jury,
        "acquired",
        **{first.id: ("in_progress", "Reformulation à travailler sur l'appel n° 1.")},
    )
    login("jury")
    before = _report(client, worked, CQP)
    assert "Non signé" in before
    assert "Reformulation à travailler sur l'appel n° 1." in before

    sign_off_grades(worked, standard, jury)
    db.session.commit()
    text = _report(client, worked, CQP)
    assert "Non signé" not in text
    assert f"{jury.display_name} (premier correcteur)" in text
    assert f"SHA-256 {worked.chain_head}" in text
    assert f"{worked.action_count} actions, tête SHA-256 {worked.chain_head}" in text
    assert "chaîne d'empreintes vérifiée" in text
    assert "le journal a changé" not in text
    total = len(standard.criteria)
    assert f"acquis : {total - 1} ; en cours d'acquisition : 1" in text
    assert "non noté : 0" in text
    # The attempt's KPIs are printed from its log.
    assert "Durée moyenne de traitement (téléphone)" in text and "1 min 35 s" in text


def test_double_marking_with_an_agreed_grade_signed_on_the_reac(
    client, login, make_user, worked, people
):
    standard = get_standard(REAC)
    disputed = standard.criteria[-1]
    jury, jury2 = people["evaluator"], make_user("jury2", "evaluator", display_name="Paul Second")
    _grade_all(worked, standard, jury, "acquired", **{disputed.id: ("acquired", "Bien mené.")})
    _grade_all(
        worked, standard, jury2, "acquired", **{disputed.id: ("not_acquired", "Trop rapide.")}
    )
    agree_grade(worked, standard, jury2, disputed.id, "in_progress", "Accord : à consolider.")
    sign_off_grades(worked, standard, jury)
    db.session.commit()

    login("formateur")
    text = _report(client, worked, REAC)
    assert "Accord : à consolider." in text
    assert "Trop rapide." not in text and "Bien mené." not in text  # the agreed one wins
    assert f"{jury.display_name} (premier correcteur)" in text
    assert "Paul Second (second correcteur)" in text
    assert f"SHA-256 {worked.chain_head}" in text
    assert (
        f"Notes finales — acquis : {len(standard.criteria) - 1} ; en cours d'acquisition : 1"
        in text
    )
    assert standard.title in text
