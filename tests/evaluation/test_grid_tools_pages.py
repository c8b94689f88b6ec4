"""Both 78-criterion grids (crm/evaluation/grid_tools.py): a save comes back to the criterion or
competency saved (PRG with an anchor), each competency shows its summary, « remplir le reste
avec… » grades only what is left in one POST (refused once locked), and a locked grid says why."""

from __future__ import annotations

import pytest

from crm.evaluation.candidate_report import standard_for
from crm.evaluation.marking.queries import board
from crm.evaluation.self_assessment import SelfAssessment
from crm.evaluation.standards import get_standard
from crm.extensions import db
from tests.conftest import PASSWORD

from .test_bench_pages import _As, _full, _grid, _save

CQP = "cqp-relation-commerciale-a-distance"


@pytest.fixture
def staff(app, csrf_from):
    """Factory: a client of its own logged in as `username` (beside the `client` fixture)."""

    def make(username):
        other = _As(app)
        page = other.get("/login").get_data(as_text=True)
        data = {"username": username, "password": PASSWORD, "csrf_token": csrf_from(page)}
        assert other.post("/login", data=data).status_code == 302
        return other

    return make


def _kept(client, response):
    """A refused form answers 303 to its page (PRG, crm/prg.py): the page kept for the next GET,
    with the refusal's status."""
    assert response.status_code == 303
    return client.get(response.headers["Location"])


def _fill_locked(client, csrf_from, attempt):
    """Post « remplir le reste » on a grid that offers no form (token from another page)."""
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    data = {"csrf_token": token, "op": "fill", "fill_grade": "not_observed"}
    return client.post(f"/bench/attempts/{attempt.id}/grid?standard={CQP}", data=data)


def _mine(attempt):
    first = board(attempt.id, CQP).first
    return {g.criterion_id: g.grade for g in first.grades} if first else {}


def test_a_save_comes_back_to_what_was_saved(client, login, attempt, csrf_from):
    login("jury")
    criteria = get_standard(CQP).criteria
    saved = _save(client, csrf_from, attempt, {f"grade-{criteria[3].id}": "acquired"})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"#criterion-{criteria[3].id}")
    competency = criteria[5].competency_id
    fields = {f"grade-{criteria[5].id}": "in_progress", "anchor": f"competency-{competency}"}
    again = _save(client, csrf_from, attempt, fields)
    assert again.headers["Location"].endswith(f"#competency-{competency}")
    # An anchor that names nothing of the standard is not echoed back.
    odd = _save(client, csrf_from, attempt, {"anchor": 'competency-"><script>'})
    assert "#" not in odd.headers["Location"]


def test_each_competency_shows_its_summary(client, login, attempt, csrf_from):
    login("jury")
    standard = get_standard(CQP)
    competency = standard.groups[0].competencies[0]
    first, second = competency.criteria[0], competency.criteria[1]
    fields = {f"grade-{first.id}": "acquired", f"grade-{second.id}": "not_acquired"}
    _save(client, csrf_from, attempt, fields)
    page = _grid(client, attempt).get_data(as_text=True)
    summary = page.split(f'id="summary-{competency.id}"')[1].split("</span>\n")[0]
    assert "Acquis : 1" in summary and "Non acquis : 1" in summary
    left = len(competency.criteria) - 2
    assert f'data-left="{left}"' in page.split(f'id="summary-{competency.id}"')[1][:20]
    assert f"{left} critère" in summary


def test_fill_the_rest_saves_the_screen_then_grades_only_what_is_left(
    client, login, attempt, csrf_from
):
    login("jury")
    criteria = get_standard(CQP).criteria
    _save(client, csrf_from, attempt, {f"grade-{criteria[0].id}": "acquired"})
    # Unsaved on screen: criteria[1]; the fill keeps it and fills the rest.
    fields = {
        f"grade-{criteria[0].id}": "acquired",
        f"grade-{criteria[1].id}": "in_progress",
        "fill_grade": "not_observed",
    }
    response = _save(client, csrf_from, attempt, fields, op="fill")
    assert response.status_code == 302 and response.headers["Location"].endswith("#grid-tools")
    mine = _mine(attempt)
    assert mine[criteria[0].id] == "acquired" and mine[criteria[1].id] == "in_progress"
    assert {mine[c.id] for c in criteria[2:]} == {"not_observed"}
    assert len(mine) == len(criteria)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{len(criteria) - 2} critères restants notés « Non observé »." in page


def test_fill_one_competency_only(client, login, attempt, csrf_from):
    login("jury")
    standard = get_standard(CQP)
    competency = standard.groups[0].competencies[0]
    fields = {"fill_grade": "acquired", "fill_competency": competency.id}
    response = _save(client, csrf_from, attempt, fields, op="fill")
    assert response.headers["Location"].endswith(f"#competency-{competency.id}")
    assert set(_mine(attempt)) == {c.id for c in competency.criteria}


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"fill_grade": "excellent"}, "fill_grade", "Choisissez la note à donner"),
        ({"fill_grade": "acquired", "fill_competency": "ZZ"}, "fill_competency", "inconnue"),
    ],
)
def test_fill_refuses_bad_input_and_keeps_the_screen(
    client, login, attempt, csrf_from, fields, field, message
):
    login("jury")
    first = get_standard(CQP).criteria[0]
    fields = {**fields, f"grade-{first.id}": "in_progress"}
    response = _kept(client, _save(client, csrf_from, attempt, fields, op="fill"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.split(f'id="{field}"')[1].split("</div>")[0]
    assert 'value="in_progress" selected' in html.split(f'id="grade-{first.id}"')[1][:400]
    assert _mine(attempt) == {}


def test_a_locked_grid_refuses_the_fill_and_says_why(client, login, staff, attempt, csrf_from):
    login("jury")
    assert _save(client, csrf_from, attempt, _full(), op="submit").status_code == 302
    page = _grid(client, attempt).get_data(as_text=True)
    assert "Grille verrouillée : vous avez remis votre notation le" in page
    assert 'id="fill-rest"' not in page
    refused = _save(client, csrf_from, attempt, {"fill_grade": "not_observed"}, op="fill")
    assert _kept(client, refused).status_code == 409
    token = csrf_from(page)
    before = _mine(attempt)
    signed = client.post(
        f"/bench/attempts/{attempt.id}/sign-off?standard={CQP}", data={"csrf_token": token}
    )
    assert signed.status_code == 302
    trainer = staff("formateur")
    page = _grid(trainer, attempt).get_data(as_text=True)
    reason = page.split('id="lock-reason"')[1].split("</p>")[0]
    assert "Grille verrouillée : notation signée le" in reason and "par " in reason
    assert _kept(trainer, _fill_locked(trainer, csrf_from, attempt)).status_code == 409
    assert _mine(attempt) == before


def test_a_trainer_is_told_the_first_marking_is_someone_else_s(
    client, login, staff, attempt, csrf_from
):
    login("jury")
    _save(client, csrf_from, attempt, {"grade-C1-C1": "acquired"})
    trainer = staff("formateur")
    page = _grid(trainer, attempt).get_data(as_text=True)
    assert _kept(trainer, _fill_locked(trainer, csrf_from, attempt)).status_code == 409
    assert 'id="summary-' not in page  # no grades of theirs to sum up
    assert "fait la première correction" in page.split('id="lock-reason"')[1].split("</p>")[0]


def test_self_assessment_fill_anchor_and_lock(login, attempt, csrf_from):
    browser = login("candidat1")
    page = browser.get("/end-of-shift/self-assessment").get_data(as_text=True)
    csrf = csrf_from(page)
    standard = standard_for(attempt)
    first, competency = standard.criteria[0], standard.criteria[0].competency_id
    assert f'id="competency-{competency}"' in page and f'id="summary-{competency}"' in page
    saved = browser.post(
        "/end-of-shift/self-assessment",
        data={"csrf_token": csrf, "action": "save", f"grade-{first.id}": "acquired"},
    )
    assert saved.headers["Location"].endswith(f"#criterion-{first.id}")
    filled = browser.post(
        "/end-of-shift/self-assessment",
        data={
            "csrf_token": csrf,
            "action": "fill",
            f"grade-{first.id}": "acquired",
            "fill_grade": "not_observed",
        },
    )
    assert filled.status_code == 302 and filled.headers["Location"].endswith("#grid-tools")
    grades = {g.criterion_id: g.grade for g in db.session.query(SelfAssessment).one().grades}
    assert grades[first.id] == "acquired"
    assert len(grades) == len(standard.criteria)
    assert set(grades.values()) == {"acquired", "not_observed"}
    data = {"csrf_token": csrf, "action": "submit"}
    data.update({f"grade-{cid}": grade for cid, grade in grades.items()})
    assert browser.post("/end-of-shift/self-assessment", data=data).status_code == 303
    locked = browser.get("/end-of-shift/self-assessment").get_data(as_text=True)
    assert "Grille verrouillée : vous l" in locked and 'id="fill-rest"' not in locked
    refused = browser.post(
        "/end-of-shift/self-assessment",
        data={"csrf_token": csrf, "action": "fill", "fill_grade": "acquired"},
    )
    assert _kept(browser, refused).status_code == 409
