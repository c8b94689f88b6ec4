"""Pages of the end of shift: the link from the desk, the memo form, the self-assessment grid."""

from __future__ import annotations

import flask_babel
import pytest

from crm.actionlog.models import Action
from crm.evaluation.candidate_report import standard_for
from crm.evaluation.self_assessment import Memo, SelfAssessment
from crm.extensions import db
from crm.training.services import change_shift_status
from tests.test_translations import switch_to_english


def _verbs(attempt):
    return list(db.session.scalars(db.select(Action.verb).where(Action.attempt_id == attempt.id)))


def _grid_data(attempt, csrf, grade="acquired", skip=0, action="save"):
    criteria = standard_for(attempt).criteria
    data = {"csrf_token": csrf, "action": action}
    for index, criterion in enumerate(criteria):
        data[f"grade-{criterion.id}"] = "" if index < skip else grade
        data[f"comment-{criterion.id}"] = ""
    return data


def test_the_desk_links_to_the_end_of_shift(login, attempt):
    browser = login("candidat1")
    html = browser.get("/desk").get_data(as_text=True)
    assert 'id="end-of-shift-link"' in html and 'target="crm-frame"' in html
    page = browser.get("/end-of-shift").get_data(as_text=True)
    assert (
        "Fin de séance" in page and 'id="write-memo"' in page and "0 critère évalué sur 78" in page
    )


def test_after_the_shift_ended_the_desk_still_offers_the_report(login, attempt):
    change_shift_status(attempt.shift, "end")
    db.session.commit()
    html = login("candidat1").get("/desk").get_data(as_text=True)
    assert "La séance est terminée" in html and "/end-of-shift" in html


def test_without_a_shift_there_is_nothing_to_report(login, people):
    browser = login("candidat3")
    assert 'id="no-report"' in browser.get("/end-of-shift").get_data(as_text=True)
    assert browser.get("/end-of-shift/memo").status_code == 404
    assert "/end-of-shift" not in browser.get("/desk").get_data(as_text=True)


@pytest.mark.parametrize("username", ["formateur", "jury"])
def test_staff_cannot_open_the_candidate_pages(login, attempt, username):
    browser = login(username)
    for url in ("/end-of-shift", "/end-of-shift/memo", "/end-of-shift/self-assessment"):
        assert browser.get(url).status_code == 403


def test_memo_form_refuses_then_sends_once(login, attempt, csrf_from):
    browser = login("candidat1")
    page = browser.get("/end-of-shift/memo").get_data(as_text=True)
    assert "data-confirm" in page
    refused = browser.post(
        "/end-of-shift/memo",
        data={"csrf_token": csrf_from(page), "subject": "", "body": "Ma note détaillée"},
        follow_redirects=True,
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Champ obligatoire." in html and "Ma note détaillée" in html  # nothing lost
    assert db.session.query(Memo).count() == 0

    sent = browser.post(
        "/end-of-shift/memo",
        data={"csrf_token": csrf_from(page), "subject": "Bilan", "body": "Ma note détaillée"},
    )
    assert sent.status_code == 302
    again = browser.post(
        "/end-of-shift/memo",
        data={"csrf_token": csrf_from(page), "subject": "Autre", "body": "Autre"},
        follow_redirects=True,
    )
    assert again.status_code == 409
    assert 'id="memo-sent"' in again.get_data(as_text=True)
    assert _verbs(attempt).count("memo.sent") == 1
    assert "Envoyée" in browser.get("/end-of-shift").get_data(as_text=True)


def test_forms_need_the_csrf_token(login, attempt):
    browser = login("candidat1")
    response = browser.post("/end-of-shift/memo", data={"subject": "Bilan", "body": "Texte"})
    assert response.status_code == 400 and db.session.query(Memo).count() == 0
    grid = browser.post("/end-of-shift/self-assessment", data=_grid_data(attempt, "forged"))
    assert grid.status_code == 400 and db.session.query(SelfAssessment).count() == 0


def test_grid_draft_refused_submit_then_submit(login, attempt, csrf_from):
    browser = login("candidat1")
    page = browser.get("/end-of-shift/self-assessment").get_data(as_text=True)
    csrf = csrf_from(page)
    first = standard_for(attempt).criteria[0]
    assert f'name="grade-{first.id}"' in page and "Remettre la grille" in page

    data = _grid_data(attempt, csrf, skip=1, action="submit")
    data[f"comment-{first.id}"] = "Je ne sais pas"
    invalid = browser.post("/end-of-shift/self-assessment", data=data, follow_redirects=True)
    assert invalid.status_code == 422  # a comment without a grade: nothing saved, all kept
    html = invalid.get_data(as_text=True)
    assert "Choisissez un niveau pour commenter ce critère." in html and "Je ne sais pas" in html
    assert db.session.query(SelfAssessment).count() == 0

    data[f"comment-{first.id}"] = ""
    incomplete = browser.post("/end-of-shift/self-assessment", data=data, follow_redirects=True)
    assert incomplete.status_code == 422
    html = incomplete.get_data(as_text=True)
    assert "la grille n&#39;est pas remise" in html or "la grille n'est pas remise" in html
    assert "Niveau à choisir avant la remise." in html
    assessment = db.session.query(SelfAssessment).one()
    assert assessment.submitted_at is None and len(assessment.grades) == 77  # draft kept

    saved = browser.post("/end-of-shift/self-assessment", data=_grid_data(attempt, csrf))
    assert saved.status_code == 302
    done = browser.post(
        "/end-of-shift/self-assessment", data=_grid_data(attempt, csrf, action="submit")
    )
    assert done.status_code == 303
    assert _verbs(attempt).count("self_assessment.submitted") == 1
    locked = browser.get("/end-of-shift/self-assessment").get_data(as_text=True)
    assert "Remise le" in locked and f'name="grade-{first.id}"' not in locked
    refused = browser.post(
        "/end-of-shift/self-assessment", data=_grid_data(attempt, csrf), follow_redirects=True
    )
    assert refused.status_code == 409
    # The end-of-shift page says it was handed in, in English too (not « Discount »).
    assert ">Grille remise<" in browser.get("/end-of-shift").get_data(as_text=True)
    switch_to_english(browser, csrf_from, page, "/end-of-shift")
    english = browser.get("/end-of-shift").get_data(as_text=True)
    assert ">Handed in<" in english and "Discount" not in english


def test_exam_mode_hides_the_navigation_even_after_the_end(login, attempt):
    attempt.shift.exam_mode = True
    change_shift_status(attempt.shift, "end")
    db.session.commit()
    browser = login("candidat1")
    html = browser.get("/end-of-shift").get_data(as_text=True)
    assert "Mode examen" in html and 'aria-label="Navigation principale"' not in html
    attempt.shift.exam_mode = False
    db.session.commit()
    html = browser.get("/end-of-shift").get_data(as_text=True)
    assert "Mode examen" not in html and 'aria-label="Navigation principale"' in html


def test_pages_speak_english_when_chosen(login, attempt, csrf_from):
    browser = login("candidat1")
    page = browser.get("/end-of-shift").get_data(as_text=True)
    browser.post("/lang/en", data={"csrf_token": csrf_from(page)})
    flask_babel.refresh()  # the test's app context outlives the request (test_translations.py)
    html = browser.get("/end-of-shift/self-assessment").get_data(as_text=True)
    assert "Self-assessment grid" in html and "Acquired" in html and "Back to the desk" in html
    assert "Grille" not in html and "Acquis<" not in html
