"""Post/Redirect/Get (crm.prg): a form's POST never answers with a page, so *Back* and *Reload*
never ask to resubmit it; the refused form is shown once at its GET address, errors and typed
values kept, with its status."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask import request

from crm import clock
from crm.app import create_app
from crm.db import db
from crm.prg import KEEP_SECONDS, KeptPage, keep_page, take_page


def _refused_cheque(client, url, csrf_from, **headers):
    html = client.get(url).get_data(as_text=True)
    data = {"csrf_token": csrf_from(html), "method": "cheque", "amount": "150",
            "reference": "CHQ 778"}  # fmt: skip
    return client.post(url, data=data, headers=headers)


def test_a_refused_form_redirects_and_is_shown_once(login, world, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    response = _refused_cheque(client, url, csrf_from)
    assert response.status_code == 303
    assert response.headers["Location"] == url
    shown = client.get(url)
    assert shown.status_code == 422
    html = shown.get_data(as_text=True)
    assert "Montant supérieur au reste dû" in html and 'value="CHQ 778"' in html
    # Shown once: reloading the address is a fresh GET of the form.
    again = client.get(url)
    assert again.status_code == 200 and "Montant supérieur au reste dû" not in again.get_data(
        as_text=True
    )


def test_a_post_only_address_goes_back_to_the_page_of_the_form(login, world, csrf_from):
    client = login("candidat1")
    page = f"/payments/new?invoice_id={world.overdue.id}"
    html = client.get(page).get_data(as_text=True)
    # The identity check posts to an address without GET: back to the client's file.
    file_url = f"/clients/{world.overdue.client_id}"
    client.get(file_url)
    response = client.post(
        f"/clients/{world.overdue.client_id}/verify-identity",
        data={"csrf_token": csrf_from(html), "client_number": "", "postcode": ""},
        headers={"Referer": "http://localhost" + file_url},
    )
    assert response.status_code == 303 and response.headers["Location"] == file_url
    shown = client.get(file_url)
    assert shown.status_code == 422
    assert re.search(r'class="error" role="alert">[^<]+<', shown.get_data(as_text=True))


def test_refusals_about_the_request_and_the_api_are_left_alone(login, world):
    client = login("candidat1")
    # No CSRF token: a 400 about the request itself, not a form to show again.
    stale = client.post(f"/payments/new?invoice_id={world.overdue.id}", data={"amount": "1"})
    assert stale.status_code == 400
    # The JSON API answers its own errors, as JSON.
    refused = client.post("/api/v1/payments", json={"invoice_id": world.overdue.id})
    assert refused.status_code == 400 and refused.is_json


def test_a_kept_page_is_shown_to_its_user_only(login, world, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    _refused_cheque(client, url, csrf_from)
    with client.session_transaction() as session:
        session["_user_id"] = "999999"  # another user now holds this browser's session
    assert client.get(url).status_code != 422


def _page(body, kept_at, headers=()):
    return KeptPage(body=body, status=422, headers=list(headers), user="1", url="/a",
                    kept_at=kept_at)  # fmt: skip


def test_the_store_shows_a_page_once_and_forgets_old_ones(app):
    old = clock.now() - timedelta(seconds=KEEP_SECONDS + 1)
    expired = keep_page(_page(b"x", old))
    assert take_page(expired) is None

    first = keep_page(_page(b"1", clock.now()))
    second = keep_page(_page(b"2", clock.now(), [["X-A", "b"]]), replaces=first)
    assert take_page(first) is None  # replaced by the session's next page
    page = take_page(second)
    assert (page.body, page.status, page.headers) == (b"2", 422, [["X-A", "b"]])
    assert take_page(second) is None  # once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(KeptPage)) == 0


def test_a_kept_page_holds_its_users_whole_session_id(app, people):
    # "<id>:<64-character session token>": longer than 64 characters, which SQLite stores anyway
    # and PostgreSQL refused (a 500 for every refused form of a logged-in user there).
    user_id = people["cand1"].get_id()
    length = KeptPage.__table__.c.user.type.length
    assert length is None or length >= len(user_id)
    page = _page(b"x", clock.now())
    page.user = user_id
    assert take_page(keep_page(page)).user == user_id


def _serving_process(database_url: str):
    """One serving process: an application on the shared database with a form that refuses."""
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}
    app = create_app({**config, "SECRET_KEY": "one key for every process"})

    @app.route("/probe", methods=["GET", "POST"])
    def probe():
        if request.method == "POST":
            return f"<p>Refusé : {request.form['value']}</p>", 422
        return "<p>Formulaire vide</p>"

    return app


def test_a_kept_page_is_shown_by_another_serving_process(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = _serving_process(url), _serving_process(url)
    with first.app_context():
        db.create_all()
    browser = first.test_client()
    response = browser.post("/probe", data={"value": "tapé"})
    assert response.status_code == 303 and response.headers["Location"] == "/probe"
    # The browser's GET reaches the other process, with the same session cookie.
    elsewhere = second.test_client()
    elsewhere.set_cookie("session", browser.get_cookie("session").value)
    shown = elsewhere.get("/probe")
    assert shown.status_code == 422 and "Refusé : tapé" in shown.get_data(as_text=True)
    assert "Formulaire vide" in browser.get("/probe").get_data(as_text=True)  # shown once
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()
