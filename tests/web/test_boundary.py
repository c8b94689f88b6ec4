"""The pages' unit of work (crm.web.boundary): commit, roll back, flash, go back, show the form."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import request
from flask_wtf import FlaskForm
from wtforms import StringField

from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.extensions import csrf
from crm.web.boundary import checkpoint, refused, unit_of_work
from tests.factories import gen_user


class NameForm(FlaskForm):
    """One field, no CSRF (the routes below are test-only)."""

    class Meta:
        csrf = False

    name = StringField("Nom d'utilisateur")


def _users() -> set[str]:
    db.session.remove()  # what another request would see: only what was committed
    return set(db.session.scalars(sa.select(User.username)))


def _flashes(client) -> list:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


@pytest.fixture
def client(app):
    """Test-only page views written the way the house's views are, on the real app."""

    @app.route("/t/write", methods=["GET", "POST"])
    @unit_of_work
    def write():
        gen_user(request.values["name"])
        if request.values.get("then") == "conflict":
            raise Conflict("Déjà pris.")
        if request.values.get("then") == "invalid":
            raise ValidationFailed({"name": "Trop court."})
        if request.values.get("then") == "missing":
            raise NotFound("Client introuvable.")
        if request.values.get("then") == "boom":
            raise RuntimeError("not a refusal")
        return "ok"

    @app.route("/t/back/<int:item_id>", methods=["POST"])
    @unit_of_work(back=lambda item_id: f"/t/items/{item_id}")
    def back(item_id: int):
        gen_user("refused")
        raise Conflict("Refusé.")

    @app.route("/t/form", methods=["POST"])
    @unit_of_work
    def form_page():
        form = NameForm()
        with refused(form, quiet=request.values.get("quiet") == "1") as refusal:
            gen_user(form.name.data)
            if len(form.name.data) < 3:
                raise ValidationFailed({"name": "Trop court.", "other": "Autre chose."})
            if form.name.data == "taken":
                raise Conflict("Déjà pris.")
            return "saved"
        errors = ",".join([*form.name.errors, *form.form_errors])
        return f"{refusal.status}|{errors}|{sorted(refusal.fields)}", refusal.status

    @app.route("/t/flash-all", methods=["POST"])
    @unit_of_work
    def flash_all():
        form = NameForm()
        with refused(form, flash_all=True):
            raise ValidationFailed({"name": "Trop court.", "other": "Autre chose."})
        return "shown"

    @app.route("/t/two-steps", methods=["POST"])
    @unit_of_work
    def two_steps():
        gen_user("draft")
        checkpoint()
        with refused() as refusal:
            gen_user("handed-in")
            raise Conflict("Pas encore.")
        return str(refusal.status)

    for view in (write, back, form_page, flash_all, two_steps):
        csrf.exempt(view)
    return app.test_client()


def test_a_view_that_returns_is_committed_and_prg_still_shows_its_page(client):
    response = client.post("/t/write", data={"name": "kept"}, follow_redirects=True)
    assert [r.status_code for r in response.history] == [303]
    assert response.get_data(as_text=True) == "ok"
    assert _users() == {"kept"}


def test_a_get_that_records_is_committed_too(client):
    assert client.get("/t/write?name=seen").status_code == 200
    assert _users() == {"seen"}


def test_a_refused_post_is_rolled_back_flashed_and_sent_back_to_its_get(client):
    response = client.post("/t/write", data={"name": "gone", "then": "conflict"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/t/write"
    assert _users() == set()
    assert _flashes(client) == [("error", "Déjà pris.")]


def test_a_validation_failed_out_of_a_view_flashes_each_message(client):
    client.post("/t/write", data={"name": "gone", "then": "invalid"})
    assert _users() == set()
    assert _flashes(client) == [("error", "Trop court.")]


def test_back_says_where_a_refused_post_goes(client):
    response = client.post("/t/back/7")
    assert response.headers["Location"] == "/t/items/7"
    assert _users() == set()


def test_not_found_is_the_404_page_and_nothing_is_kept(client):
    response = client.post("/t/write", data={"name": "gone", "then": "missing"})
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)
    assert _users() == set()


def test_a_refused_get_is_not_redirected_to_itself(client):
    with pytest.raises(Conflict):
        client.get("/t/write?name=gone&then=conflict")
    assert _users() == set()


def test_an_unexpected_error_rolls_back_and_goes_on(client):
    with pytest.raises(RuntimeError):
        client.post("/t/write", data={"name": "gone", "then": "boom"})
    assert _users() == set()


def test_refused_puts_field_messages_on_the_form_and_the_view_carries_on(client):
    response = client.post("/t/form", data={"name": "ab"})
    assert response.status_code == 422
    assert response.get_data(as_text=True) == "422|Trop court.,Autre chose.|['name', 'other']"
    assert _users() == set()
    assert _flashes(client) == []


def test_refused_flashes_a_refusal_that_is_not_about_a_field(client):
    response = client.post("/t/form", data={"name": "taken"})
    assert response.status_code == 409
    assert _flashes(client) == [("error", "Déjà pris.")]
    assert _users() == set()


def test_refused_quiet_shows_nothing_and_gives_the_fields(client):
    response = client.post("/t/form", data={"name": "ab", "quiet": "1"})
    assert response.get_data(as_text=True) == "422||['name', 'other']"
    assert _flashes(client) == []


def test_refused_lets_the_block_through_when_nothing_is_refused(client):
    response = client.post("/t/form", data={"name": "accepted"})
    assert response.get_data(as_text=True) == "saved"
    assert _users() == {"accepted"}


def test_flash_all_names_the_field_by_its_french_label(client):
    client.post("/t/flash-all")
    assert _flashes(client) == [
        ("error", "Nom d'utilisateur : Trop court."),
        ("error", "Autre chose."),
    ]


def test_a_checkpoint_keeps_the_first_step_when_the_second_is_refused(client):
    response = client.post("/t/two-steps")
    assert response.get_data(as_text=True) == "409"
    assert _users() == {"draft"}
