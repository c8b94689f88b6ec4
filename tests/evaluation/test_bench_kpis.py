"""The bench's KPI pages (an attempt's, a shift's), the links between the bench pages, and how
the grid and the timeline read once graded."""

from __future__ import annotations

import pytest

from crm.actionlog.services import Ctx, record
from crm.db import db
from crm.evaluation.marking.services import save_grades, submit_marking
from crm.evaluation.standards import get_standard
from tests.test_translations import switch_to_english

from .kpi_desk import work_the_desk

CQP = "cqp-relation-commerciale-a-distance"


@pytest.fixture
def worked(app, attempt, people):
    work_the_desk(app, attempt, people["cand1"].id, people["trainer"].id)
    return attempt


def _row(page: str, row_id: str) -> str:
    """The HTML of one table row, by id."""
    start = page.index(f'id="{row_id}"')
    return page[start : page.index("</tr>", start)]


@pytest.mark.parametrize("path", ["/bench/attempts/{attempt}/kpis", "/bench/shifts/{shift}"])
def test_kpi_pages_are_for_trainers_and_evaluators(client, login, attempt, path):
    url = path.format(attempt=attempt.id, shift=attempt.shift_id)
    assert client.get(url).status_code == 302  # to the login page
    login("candidat1")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("username", ["formateur", "jury"])
@pytest.mark.parametrize("path", ["/bench/attempts/{attempt}/kpis", "/bench/shifts/{shift}"])
def test_trainers_and_evaluators_see_the_kpis(client, login, attempt, path, username):
    login(username)
    page = client.get(path.format(attempt=attempt.id, shift=attempt.shift_id))
    assert page.status_code == 200
    assert "Durée moyenne de post-appel" in page.get_data(as_text=True)


def test_unknown_attempt_is_404(client, login, people):
    login("jury")
    assert client.get("/bench/attempts/999999/kpis").status_code == 404


def test_attempt_kpis_show_values_formulas_and_figures(client, login, worked):
    login("jury")
    page = client.get(f"/bench/attempts/{worked.id}/kpis?standard={CQP}").get_data(as_text=True)
    handling = _row(page, "attempt-kpis-handling_time")
    assert "Durée moyenne de traitement (téléphone)" in handling
    assert "1 min 35 s" in handling
    assert "nombre de ces appels" in handling  # the formula, in words
    assert "temps de traitement : <b>3 min 10 s</b>" in handling
    basket = _row(page, "attempt-kpis-average_basket")
    assert "30,00 €" in basket and "commandes : <b>1</b>" in basket
    chat = _row(page, "attempt-kpis-deadline_compliance-chat")
    assert 'class="unmeasured"' in chat and "non mesurable" in chat
    assert "0,0 %" not in chat
    # Back to the grid and the timeline, keeping the chosen standard.
    assert f"/bench/attempts/{worked.id}/grid?standard={CQP}" in page
    assert f"/attempts/{worked.id}/timeline?standard={CQP}" in page


def test_an_attempt_without_actions_has_nothing_measurable(client, login, attempt):
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/kpis").get_data(as_text=True)
    assert "non mesurable" in _row(page, "attempt-kpis-handling_time")
    assert "non mesurable" in _row(page, "attempt-kpis-conversion_rate")
    assert ">0<" in _row(page, "attempt-kpis-contacts")  # a count: 0 is measured


def test_kpis_in_english(client, login, worked, csrf_from):
    login("jury")
    url = f"/bench/attempts/{worked.id}/kpis"
    switch_to_english(client, csrf_from, client.get(url).get_data(as_text=True), url)
    page = client.get(url).get_data(as_text=True)
    assert "Average handling time (phone)" in page
    assert "non mesurable" not in page
    assert "not measurable" in page


def test_shift_page_sums_the_current_attempts(app, client, login, worked, other_attempt, people):
    # cand2 handles one short call (10 s talk, 5 s after-call work): the shift's handling time
    # is (190 s + 15 s) ÷ 3 calls = 1 min 08 s, not the mean of 95 s and 15 s.
    work_the_desk(app, other_attempt, people["cand2"].id, people["trainer"].id, long_call=False)
    login("jury")
    page = client.get(f"/bench/shifts/{worked.shift_id}?standard={CQP}").get_data(as_text=True)
    assert 'id="shift-kpis"' in page
    assert "tentatives en cours de 2 candidats" in page
    handling = _row(page, "shift-kpi-table-handling_time")
    assert "1 min 08 s" in handling and "appels : <b>3</b>" in handling
    assert f'id="kpis-{worked.id}"' in page
    assert f"/bench/attempts/{worked.id}/kpis?standard={CQP}" in page


def test_the_grid_links_the_pdf_report_and_the_kpis(client, login, attempt):
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/grid?standard={CQP}").get_data(as_text=True)
    assert f'href="/attempts/{attempt.id}/report.pdf?standard={CQP}" id="report-link"' in page
    assert "Rapport PDF" in page
    assert f'href="/bench/attempts/{attempt.id}/kpis?standard={CQP}" id="kpis-link"' in page
    # Without a standard there is no report to link to yet.
    attempt.shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    bare = client.get(f"/bench/attempts/{attempt.id}/grid?standard=").get_data(as_text=True)
    assert 'id="report-link"' not in bare and 'id="kpis-link"' in bare


def test_the_timeline_links_the_kpis_and_names_the_customer(client, login, attempt):
    said = {"call_id": 1, "text": "Allô"}
    record(Ctx(attempt, None, "customer"), "call.customer_said", None, said)
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline?standard={CQP}").get_data(as_text=True)
    assert f'href="/bench/attempts/{attempt.id}/kpis?standard={CQP}" id="kpis-link"' in page
    assert "<td>client</td>" in page and "<td>customer</td>" not in page


def test_an_ungraded_grid_says_how_to_start(client, login, attempt):
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/grid?standard={CQP}").get_data(as_text=True)
    assert "enregistrez vos notes pour ouvrir la première correction" in page


def test_a_handed_in_comment_reads_as_text_not_a_disabled_box(client, login, attempt, people):
    standard = get_standard(CQP)
    entries = {c.id: {"grade": "acquired", "comment": ""} for c in standard.criteria}
    entries["C1-C1"]["comment"] = "Une remarque assez longue pour ne pas tenir dans la case."
    save_grades(attempt, standard, people["evaluator"], entries)
    submit_marking(attempt, standard, people["evaluator"])
    db.session.commit()
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/grid?standard={CQP}").get_data(as_text=True)
    assert (
        '<p class="my-comment" id="comment-C1-C1">'
        "Une remarque assez longue pour ne pas tenir dans la case.</p>"
    ) in page
    assert 'name="comment-' not in page  # no comment box once handed in
