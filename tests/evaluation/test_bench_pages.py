"""The bench pages: roles, CSRF, the grid's forms, blind second marking, sign-off, the timeline."""

from __future__ import annotations

import pytest
from flask import g

from crm.actionlog.services import Ctx, record
from crm.evaluation.marking import sign_off_of
from crm.evaluation.marking.models import ActionNote
from crm.evaluation.standards import get_standard
from crm.extensions import db
from tests.conftest import PASSWORD

CQP = "cqp-relation-commerciale-a-distance"


@pytest.fixture
def jury2(make_user):
    return make_user("jury2", "evaluator")


@pytest.fixture
def said(attempt, people):
    """A call's lines and an email in cand1's log (recorded as the softphone records them)."""
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    lines = [
        record(ctx, "call.said", None, {"call_id": 7, "text": "Bureau Direct, Camille, bonjour."}),
        record(
            Ctx(attempt, None, "customer"),
            "call.customer_said",
            None,
            {"call_id": 7, "text": "Je voudrais du papier A4."},
        ),
        record(ctx, "call.ended", None, {"call_id": 7}),
        record(
            Ctx(attempt, None, "customer"),
            "message.received",
            None,
            {"channel": "email", "subject": "Facture", "body": "Où est ma facture ?"},
        ),
    ]
    db.session.commit()
    return lines


class _As:
    """A test client of its own for one user.

    The tests share one app context, where Flask-Login caches the current user and Flask-WTF
    the CSRF token in `g`: both are dropped before each request, so that this client's own
    session cookie decides who is calling.
    """

    def __init__(self, app):
        self.client = app.test_client()

    @staticmethod
    def _forget():
        g.pop("_login_user", None)
        g.pop("csrf_token", None)

    def get(self, *args, **kwargs):
        self._forget()
        return self.client.get(*args, **kwargs)

    def post(self, *args, **kwargs):
        self._forget()
        return self.client.post(*args, **kwargs)


@pytest.fixture
def logged_in(app, csrf_from):
    """Factory: a client logged in as `username` (two evaluators side by side)."""

    def make(username):
        other = _As(app)
        page = other.get("/login").get_data(as_text=True)
        response = other.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": csrf_from(page)},
        )
        assert response.status_code == 302
        return other

    return make


def _grid(client, attempt, **params):
    return client.get(
        f"/bench/attempts/{attempt.id}/grid", query_string={"standard": CQP, **params}
    )


def _save(client, csrf_from, attempt, fields, op="save", *, refused=False):
    """Post the grid; a refusal is followed to the page it is shown on (PRG)."""
    page = _grid(client, attempt).get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "op": op, **fields}
    return client.post(
        f"/bench/attempts/{attempt.id}/grid?standard={CQP}", data=data, follow_redirects=refused
    )


def _full(grade="acquired", **overrides):
    fields = {f"grade-{c.id}": grade for c in get_standard(CQP).criteria}
    for cid, (value, comment) in overrides.items():
        fields[f"grade-{cid}"] = value
        fields[f"comment-{cid}"] = comment
    return fields


@pytest.mark.parametrize(
    "path",
    [
        "/bench/",
        "/bench/shifts/{shift}",
        "/bench/attempts/{attempt}/grid?standard=" + CQP,
        "/attempts/{attempt}/timeline",
        "/shifts/{shift}/grades.csv?standard=" + CQP,
    ],
)
def test_candidates_get_403_and_strangers_the_login(client, login, attempt, path):
    url = path.format(shift=attempt.shift_id, attempt=attempt.id)
    assert client.get(url).status_code == 302
    login("candidat1")
    assert client.get(url).status_code == 403


def test_candidate_cannot_post_grades_sign_or_pin(client, login, attempt, said, csrf_from):
    login("candidat1")
    token = csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))
    for url in (
        f"/bench/attempts/{attempt.id}/grid?standard={CQP}",
        f"/bench/attempts/{attempt.id}/sign-off?standard={CQP}",
        f"/bench/attempts/{attempt.id}/actions/{said[0].id}/notes",
    ):
        response = client.post(url, data={"csrf_token": token, "grade-C1-C1": "acquired"})
        assert response.status_code == 403
    assert db.session.query(ActionNote).count() == 0


def test_shifts_then_attempts_then_grid(client, login, attempt, people):
    login("jury")
    bench = client.get("/bench/").get_data(as_text=True)
    assert f"/bench/shifts/{attempt.shift_id}" in bench
    shift = client.get(f"/bench/shifts/{attempt.shift_id}?standard={CQP}").get_data(as_text=True)
    assert f"/bench/attempts/{attempt.id}/grid?standard={CQP}" in shift
    assert "Non notée" in shift
    assert f"/shifts/{attempt.shift_id}/grades.csv?standard={CQP}" in shift
    # Without a standard on the shift nor in the URL, the grid asks for one.
    attempt.shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    assert 'id="choose-standard"' in _grid(client, attempt, standard="").get_data(as_text=True)
    page = _grid(client, attempt).get_data(as_text=True)
    assert 'id="criterion-C1-C1"' in page
    assert "Ciblage de l&#39;interlocuteur" in page
    assert "À juger par l'évaluateur" in page


def test_the_grid_defaults_to_the_shift_standard(client, login, attempt):
    attempt.shift.standard = "tp-superviseur-rncp-12505"
    db.session.commit()
    login("jury")
    page = client.get(f"/bench/attempts/{attempt.id}/grid").get_data(as_text=True)
    assert 'value="tp-superviseur-rncp-12505" selected' in page


def test_grading_needs_the_csrf_token(client, login, attempt):
    login("jury")
    response = client.post(
        f"/bench/attempts/{attempt.id}/grid?standard={CQP}", data={"grade-C1-C1": "acquired"}
    )
    assert response.status_code == 400


def test_grade_save_then_bad_input_is_shown_not_lost(client, login, attempt, csrf_from):
    login("jury")
    saved = _save(client, csrf_from, attempt, {"grade-C1-C1": "in_progress", "comment-C1-C1": "Ok"})
    assert saved.status_code == 302
    page = _grid(client, attempt).get_data(as_text=True)
    assert 'value="in_progress" selected' in page and ">Ok</textarea>" in page
    # A comment without a grade, and a forged grade: 422, French messages, input kept.
    refused = _save(
        client,
        csrf_from,
        attempt,
        {"grade-C1-C2": "", "comment-C1-C2": "Sans note", "grade-C1-C3": "parfait"},
        refused=True,
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Choisissez une note pour ce commentaire." in text and "Note inconnue" in text
    assert ">Sans note</textarea>" in text


def test_handing_in_an_incomplete_grid_is_refused(client, login, attempt, csrf_from):
    login("jury")
    response = _save(
        client, csrf_from, attempt, {"grade-C1-C1": "acquired"}, op="submit", refused=True
    )
    assert response.status_code == 422
    assert "Critère non noté." in response.get_data(as_text=True)


def test_blind_second_marking_then_agree_and_sign(logged_in, attempt, csrf_from, jury2):
    first, second = logged_in("jury"), logged_in("jury2")
    handed = _save(
        first, csrf_from, attempt, _full(**{"C2-C1": ("not_acquired", "SECRET-1")}), op="submit"
    )
    assert handed.status_code == 302
    _save(second, csrf_from, attempt, {"grade-C1-C1": "acquired"})
    blind = _grid(second, attempt).get_data(as_text=True)
    assert "SECRET-1" not in blind
    assert 'value="not_acquired" selected' not in blind
    assert "Jules" not in blind.split('id="marking-status"')[1]  # no column of the first marker
    # The first evaluator does not see the second's draft either.
    assert 'data-state="second_marking"' in _grid(first, attempt).get_data(as_text=True)

    assert _save(second, csrf_from, attempt, _full(), op="submit").status_code == 302
    revealed = _grid(second, attempt).get_data(as_text=True)
    assert "SECRET-1" in revealed and 'id="dispute-C2-C1"' in revealed
    assert 'id="sign-off"' not in revealed  # a disagreement is open
    agreed = second.post(
        f"/bench/attempts/{attempt.id}/agree?standard={CQP}",
        data={
            "csrf_token": csrf_from(revealed),
            "criterion": "C2-C1",
            "grade": "in_progress",
            "comment": "Convenu",
        },
    )
    assert agreed.status_code == 302
    page = _grid(second, attempt).get_data(as_text=True)
    assert 'data-state="agreed"' in page and 'id="sign-off"' in page
    signed = second.post(
        f"/bench/attempts/{attempt.id}/sign-off?standard={CQP}",
        data={"csrf_token": csrf_from(page)},
    )
    assert signed.status_code == 302
    db.session.refresh(attempt)
    sealed = _grid(first, attempt).get_data(as_text=True)
    assert f'id="seal-hash">{attempt.chain_head}<' in sealed
    assert 'id="grade-C1-C1" form="grid-form" disabled' in sealed
    assert 'id="save-grades"' not in sealed
    assert sign_off_of(attempt.id, CQP).signed_by.username == "jury2"


def test_changes_after_sign_off_are_409(client, login, attempt, csrf_from):
    login("jury")
    _save(client, csrf_from, attempt, _full(), op="submit")
    page = _grid(client, attempt).get_data(as_text=True)
    client.post(
        f"/bench/attempts/{attempt.id}/sign-off?standard={CQP}",
        data={"csrf_token": csrf_from(page)},
    )
    response = client.post(
        f"/bench/attempts/{attempt.id}/grid?standard={CQP}",
        data={"csrf_token": csrf_from(page), "op": "save", "grade-C1-C1": "not_acquired"},
        follow_redirects=True,
    )
    assert response.status_code == 409
    assert "La notation est signée" in response.get_data(as_text=True)


def test_timeline_filters_transcripts_and_notes(client, login, attempt, said, csrf_from):
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert f'id="action-{said[0].id}"' in page
    assert "Bureau Direct, Camille, bonjour." in page and "Où est ma facture ?" in page
    assert 'id="transcript-7"' in page and "Transcription de l" in page
    phone = client.get(f"/attempts/{attempt.id}/timeline?channel=phone").get_data(as_text=True)
    assert f'id="action-{said[1].id}"' in phone and f'id="action-{said[3].id}"' not in phone
    email = client.get(f"/attempts/{attempt.id}/timeline?channel=email").get_data(as_text=True)
    assert f'id="action-{said[3].id}"' in email and f'id="action-{said[0].id}"' not in email
    family = client.get(f"/attempts/{attempt.id}/timeline?family=message").get_data(as_text=True)
    assert f'id="action-{said[3].id}"' in family and f'id="action-{said[0].id}"' not in family
    # A note pinned on an action shows on it; an empty one is refused with a French message.
    pinned = client.post(
        f"/bench/attempts/{attempt.id}/actions/{said[1].id}/notes",
        data={"csrf_token": csrf_from(page), "body": "Besoin bien reformulé."},
    )
    assert pinned.status_code == 302
    assert pinned.headers["Location"].endswith(f"#action-{said[1].id}")
    again = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    notes = again.split(f'id="notes-{said[1].id}"')[1].split("</div>")[0]
    assert "Besoin bien reformulé." in notes
    empty = client.post(
        f"/bench/attempts/{attempt.id}/actions/{said[1].id}/notes",
        data={"csrf_token": csrf_from(page), "body": "  "},
        follow_redirects=True,
    )
    assert "Écrivez la note." in empty.get_data(as_text=True)
    assert db.session.query(ActionNote).count() == 1
    no_csrf = client.post(
        f"/bench/attempts/{attempt.id}/actions/{said[1].id}/notes", data={"body": "x"}
    )
    assert no_csrf.status_code == 400 and db.session.query(ActionNote).count() == 1


def test_timeline_links_back_to_the_criterion(client, login, attempt):
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline?standard={CQP}&criterion=C1-C1").get_data(
        as_text=True
    )
    assert f"/bench/attempts/{attempt.id}/grid?standard={CQP}#criterion-C1-C1" in page


def test_note_on_an_action_of_another_attempt_is_404(
    client, login, attempt, other_attempt, people, csrf_from
):
    foreign = record(Ctx(other_attempt, people["cand2"].id, "candidate"), "kb.searched", None, {})
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    response = client.post(
        f"/bench/attempts/{attempt.id}/actions/{foreign.id}/notes",
        data={"csrf_token": csrf_from(page), "body": "x"},
    )
    assert response.status_code == 404


def test_csv_page_download(client, login, attempt):
    login("formateur")
    response = client.get(f"/shifts/{attempt.shift_id}/grades.csv?standard={CQP}")
    assert response.status_code == 200 and response.get_data().startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    assert b";C1-C1;" in response.get_data()
    attempt.shift.standard = None  # a shift opened before shifts had their standard
    db.session.commit()
    missing = client.get(f"/shifts/{attempt.shift_id}/grades.csv")
    assert missing.status_code == 302


def test_demo_has_a_second_evaluator(app):
    from crm.auth.models import User
    from crm.cli import seed_demo

    seed_demo()
    jury2 = db.session.query(User).filter_by(username="jury2").one()
    assert jury2.role == "evaluator"


def test_the_grid_marks_verdicts_provisional_while_the_shift_runs_and_cites_both_sides(
    client, login, attempt, desk
):
    client_file = desk.client("C10013")
    desk.open(client_file)
    desk.verify(client_file)
    desk.order(client_file)
    desk.qualify("INFO")
    desk.open(client_file)
    desk.order(client_file)  # no identity check this time
    db.session.commit()
    login("jury")
    mc = "mc-acvad-referentiel-certification"
    page = _grid(client, attempt, standard=mc).get_data(as_text=True)
    assert 'id="provisional-note"' in page
    row = page.split('id="criterion-1.1-C3"')[1].split("</tr>")[0]
    assert "provisoire" in row
    assert 'class="evidence evidence-met"' in row and 'class="evidence evidence-not-met"' in row
    # A judgement criterion shows each of its evidence aids with its own result.
    aided = page.split('id="criterion-3.1-C2"')[1].split("</tr>")[0]
    assert 'data-rule="contacts_qualified"' in aided and 'data-rule="client_file_updated"' in aided
    assert "Chaque contact est qualifié (code et note)" in aided
    attempt.shift.status = "ended"
    db.session.commit()
    page = _grid(client, attempt, standard=mc).get_data(as_text=True)
    assert 'id="provisional-note"' not in page
    assert "provisoire" not in page.split('id="criterion-1.1-C3"')[1].split("</tr>")[0]


def test_the_english_timeline_quotes_in_english(client, login, attempt, said, csrf_from):
    from flask_babel import refresh

    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "« Je voudrais du papier A4. »" in page
    client.post("/lang/en", data={"csrf_token": csrf_from(page)})
    refresh()  # the test's app context (shared by its requests) caches the French locale
    english = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "“Je voudrais du papier A4.”" in english and "« Je voudrais" not in english


def test_the_timeline_speaks_words_not_developer_keys(client, login, attempt, people):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    record(ctx, "client.searched", None, {"query": "Morel", "matching_client_ids": [13]})
    record(
        ctx,
        "self_assessment.submitted",
        None,
        {
            "standard": "mc-acvad-referentiel-certification",
            "criteria": 1,
            "grades": {"1.1-C1": "acquired"},
            "comments": {"1.1-C1": "<b>sûr</b>"},
        },
    )
    db.session.commit()
    login("jury")
    page = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "Clients correspondant au numéro" in page and "matching_client_ids :" not in page
    assert "\\u003c" not in page and "{&#34;" not in page
    assert "&lt;b&gt;sûr&lt;/b&gt;" in page
    # The self-assessment reads as a grid: the criterion, its level in words, the comment.
    assert "Acquis" in page and "Commentaire" in page
