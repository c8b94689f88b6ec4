"""Sessions end on the server: logout, a password change and a lock stop every copy of a cookie."""

from __future__ import annotations

import pytest

from crm.extensions import db
from tests.conftest import PASSWORD, Api

NEW_PASSWORD = "another horse battery"


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh browser presenting a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/shifts/")


def test_a_cookie_copied_before_logout_no_longer_authenticates(app, client, people, login):
    login("formateur")
    cookie = _session_cookie(client)
    assert _replay(app, cookie).status_code == 200
    page = client.get("/shifts/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    client.post("/logout", data={"csrf_token": token})
    replayed = _replay(app, cookie)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_logout_without_csrf_ends_nothing(app, client, people, login):
    login("formateur")
    cookie = _session_cookie(client)
    client.post("/logout", data={})
    assert _replay(app, cookie).status_code == 200


def test_changing_the_password_ends_sessions_and_revokes_tokens(app, client, people, login):
    api = Api(app.test_client())
    login("formateur")
    cookie = _session_cookie(client)
    trainer = api.as_("formateur")
    result = app.test_cli_runner().invoke(
        args=["user", "password", "formateur", "--password", NEW_PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert _replay(app, cookie).status_code == 302
    assert trainer.get("/me").status_code == 401
    assert api.as_("formateur", NEW_PASSWORD).get("/me").status_code == 200


def test_a_too_short_password_is_refused_and_changes_nothing(app, api, people):
    trainer = api.as_("formateur")
    result = app.test_cli_runner().invoke(
        args=["user", "password", "formateur", "--password", "short"]
    )
    assert result.exit_code == 1 and "at least 8" in result.output
    assert trainer.get("/me").status_code == 200


def test_an_unknown_user_is_named(app, people):
    result = app.test_cli_runner().invoke(args=["user", "lock", "nobody"])
    assert result.exit_code == 1 and "no user nobody" in result.output


def test_locking_ends_sessions_and_tokens_for_good(app, client, people, login):
    api = Api(app.test_client())
    login("jury")
    cookie = _session_cookie(client)
    assert _replay(app, cookie).status_code == 200
    evaluator = api.as_("jury")
    assert evaluator.get("/me").status_code == 200
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "lock", "jury"]).exit_code == 0
    assert _replay(app, cookie).status_code == 302
    refused = evaluator.get("/me")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    response = api.post("/auth/token", {"username": "jury", "password": PASSWORD})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "bad_credentials"
    assert runner.invoke(args=["user", "unlock", "jury"]).exit_code == 0
    # Unlocking lets the person log in again; what the lock ended stays ended.
    refused = evaluator.get("/me")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert _replay(app, cookie).status_code == 302
    assert api.as_("jury").get("/me").status_code == 200
    login("jury")
    assert client.get("/shifts/").status_code == 200


@pytest.mark.parametrize("forged", ["1", "1:", "x:y", "1:" + "0" * 64])
def test_a_session_naming_no_current_generation_loads_nobody(app, people, forged):
    from flask.sessions import SecureCookieSessionInterface

    cookie = SecureCookieSessionInterface().get_signing_serializer(app).dumps({"_user_id": forged})
    response = _replay(app, cookie)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    db.session.rollback()
