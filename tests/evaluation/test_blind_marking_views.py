"""Blind double marking holds in every view of grades: CSV (API and page), PDF (API and page),
pinned notes (API and timeline), xAPI, not only `GET /grades` and the grid.

`jury` hands in with a comment and pins a note; `jury2` opens the second marking and pins a
note of their own. Until jury2 hands in, neither sees the other's grades, comments or notes
(a trainer who does not mark sees none of them); once both are in, both see everything.
"""

from __future__ import annotations

import csv
import io

import pytest
from flask import g

from crm.actionlog.services import Ctx, record
from crm.evaluation.standards import get_standard
from crm.extensions import db
from tests.conftest import PASSWORD

from .test_report import pdf_text

CQP = "cqp-relation-commerciale-a-distance"
Q = f"?standard={CQP}"
SECRET = "SECRET-JURY : reformulation absente"
#: What the grades hidden from a viewer say instead (marking.wording).
WAITING = "double correction : en attente du second correcteur"


@pytest.fixture
def jury2(make_user):
    return make_user("jury2", "evaluator")


class Browser:
    """A test client of its own, logged in as one user through the login form.

    The tests share one app context, where Flask-Login caches the current user and Flask-WTF
    the CSRF token in `g`: both are dropped before each request.
    """

    def __init__(self, app, csrf_from, username):
        self.client = app.test_client()
        page = self.get("/login").get_data(as_text=True)
        response = self.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": csrf_from(page)},
        )
        assert response.status_code == 302

    def get(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        return self.client.post(*args, **kwargs)


def _put(api, path, body):
    return api.client.put("/api/v1" + path, headers=api._headers(), json=body)


def _hand_in(api, attempt, comment=""):
    grid = {c.id: {"grade": "acquired"} for c in get_standard(CQP).criteria}
    grid["C1-C1"] = {"grade": "acquired", "comment": comment}
    assert _put(api, f"/attempts/{attempt.id}/grades{Q}", {"grades": grid}).status_code == 200
    assert api.post(f"/attempts/{attempt.id}/grades/submit{Q}").status_code == 200


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _final_column(rows) -> list[tuple[str, str]]:
    """(grade, comment) of every criterion row."""
    header = rows[0]
    grade, comment = header.index("Note finale"), header.index("Commentaire")
    return [(row[grade], row[comment]) for row in rows[1:]]


@pytest.fixture
def second_marking(api, attempt, people, jury2):
    """jury handed in (comment SECRET, note NOTE-JURY); jury2 drafts (note NOTE-JURY2)."""
    action = record(Ctx(attempt, people["cand1"].id, "candidate"), "kb.searched", None, {"q": "x"})
    db.session.commit()
    jury, second = api.as_("jury"), api.as_("jury2")
    notes = f"/attempts/{attempt.id}/actions/{action.id}/notes"
    assert jury.post(notes, {"body": "NOTE-JURY"}).status_code == 201
    _hand_in(jury, attempt, SECRET)
    draft = {"grades": {"C2-C1": {"grade": "in_progress", "comment": "BROUILLON-JURY2"}}}
    assert _put(second, f"/attempts/{attempt.id}/grades{Q}", draft).status_code == 200
    assert second.post(notes, {"body": "NOTE-JURY2"}).status_code == 201
    return jury, second


def test_api_csv_hides_the_first_grid_from_the_second_marker(attempt, second_marking, api):
    jury, second = second_marking
    path = f"/shifts/{attempt.shift_id}/grades.csv"
    blind = _csv_rows(second.get(path, standard=CQP))
    assert len(blind) == 1 + len(get_standard(CQP).criteria)
    assert set(_final_column(blind)) == {(WAITING, "")}
    assert SECRET not in str(blind) and "BROUILLON-JURY2" not in str(blind)
    # A grader who does not mark may still become the second marker: nothing either.
    trainer = _csv_rows(api.as_("formateur").get(path, standard=CQP))
    assert set(_final_column(trainer)) == {(WAITING, "")}
    # The first marker sees their own handed-in grades.
    own = _csv_rows(jury.get(path, standard=CQP))
    assert ("Acquis", SECRET) in _final_column(own)


def test_page_csv_hides_the_first_grid_from_the_second_marker(
    app, attempt, second_marking, csrf_from
):
    browser = Browser(app, csrf_from, "jury2")
    rows = _csv_rows(browser.get(f"/shifts/{attempt.shift_id}/grades.csv{Q}"))
    assert set(_final_column(rows)) == {(WAITING, "")}
    assert SECRET not in str(rows)


def test_pdf_hides_the_first_grid_from_the_second_marker(app, attempt, second_marking, csrf_from):
    jury, second = second_marking
    criteria = len(get_standard(CQP).criteria)
    response = second.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP)
    assert response.status_code == 200
    _, text = pdf_text(response.get_data())
    assert "SECRET-JURY" not in text and "BROUILLON" not in text
    assert f"non noté : {criteria} ({WAITING})." in text
    assert "Notes masquées" in text
    page = Browser(app, csrf_from, "jury2").get(f"/attempts/{attempt.id}/report.pdf{Q}")
    _, text = pdf_text(page.get_data())
    assert "SECRET-JURY" not in text and "Notes masquées" in text
    _, own = pdf_text(jury.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP).get_data())
    assert "SECRET-JURY" in own and "Notes masquées" not in own


def test_notes_are_private_to_their_author_until_both_are_in(
    app, attempt, second_marking, csrf_from
):
    jury, second = second_marking
    path = f"/attempts/{attempt.id}/notes"
    assert [n["body"] for n in second.get(path).get_json()["items"]] == ["NOTE-JURY2"]
    assert [n["body"] for n in jury.get(path).get_json()["items"]] == ["NOTE-JURY"]
    assert second.get(path).get_json()["total"] == 1
    timeline = Browser(app, csrf_from, "jury2").get(f"/attempts/{attempt.id}/timeline")
    page = timeline.get_data(as_text=True)
    assert "NOTE-JURY2" in page and page.count("NOTE-JURY") == 1  # its own only


def test_xapi_statements_carry_no_grade_comment_or_note(attempt, second_marking):
    _, second = second_marking
    body = second.get(f"/attempts/{attempt.id}/xapi").get_data(as_text=True)
    assert "SECRET-JURY" not in body and "NOTE-JURY" not in body


def test_everything_is_shown_to_both_once_both_are_in(app, attempt, second_marking, csrf_from):
    jury, second = second_marking
    _hand_in(second, attempt, "Vu aussi.")
    for who in (jury, second):
        rows = _csv_rows(who.get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP))
        assert ("Acquis", SECRET + "\nVu aussi.") in _final_column(rows)
        _, text = pdf_text(who.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP).get_data())
        assert "SECRET-JURY" in text and "Notes masquées" not in text
        notes = who.get(f"/attempts/{attempt.id}/notes").get_json()["items"]
        assert [n["body"] for n in notes] == ["NOTE-JURY", "NOTE-JURY2"]
    page = Browser(app, csrf_from, "jury2").get(f"/attempts/{attempt.id}/timeline")
    assert page.get_data(as_text=True).count("NOTE-JURY") == 2


def test_a_single_marking_is_shown_to_others_once_signed(attempt, api, people):
    jury, trainer = api.as_("jury"), api.as_("formateur")
    _hand_in(jury, attempt, SECRET)
    path = f"/shifts/{attempt.shift_id}/grades.csv"
    hidden = {("première correction remise, non signée", "")}
    assert set(_final_column(_csv_rows(trainer.get(path, standard=CQP)))) == hidden
    assert jury.post(f"/attempts/{attempt.id}/grades/sign-off{Q}").status_code == 201
    assert ("Acquis", SECRET) in _final_column(_csv_rows(trainer.get(path, standard=CQP)))
