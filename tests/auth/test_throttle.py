"""Login throttling per client address and per account name: 429 with Retry-After, and the
same answers whether or not the username exists."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crm.auth.models import LoginFailure
from crm.auth.services import lock_user
from crm.extensions import db
from tests.conftest import PASSWORD


def _token(client, username, password="wrong password", address="203.0.113.7"):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _page_login(client, csrf_from, username, password="wrong password", address="203.0.113.7"):
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page)},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_spray_of_usernames_from_one_address_is_throttled(app, client, people):
    limit = app.config["LOGIN_ADDRESS_MAX_FAILURES"]
    statuses = [_token(client, f"agent{n:02}").status_code for n in range(30)]
    assert statuses == [401] * limit + [429] * (30 - limit)
    refused = _token(client, "agent99")
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= app.config["LOGIN_THROTTLE_WINDOW_SECONDS"]
    error = refused.get_json()["error"]
    assert error["code"] == "throttled" and error["retry_after"] == retry_after
    # Even the right password waits: the address is throttled, not the guess.
    assert _token(client, "candidat1", PASSWORD).status_code == 429
    # Another address is not concerned.
    assert _token(client, "candidat1", PASSWORD, address="198.51.100.1").status_code == 200


def test_unknown_known_and_locked_users_get_the_same_answer(client, people):
    lock_user(people["cand2"])
    db.session.commit()
    answers = {
        name: (response.status_code, response.get_json())
        for name, response in (
            ("unknown", _token(client, "nobody-here", address="198.51.100.2")),
            ("known", _token(client, "candidat1", address="198.51.100.3")),
            ("locked", _token(client, "candidat2", PASSWORD, address="198.51.100.4")),
        )
    }
    assert answers["unknown"] == answers["known"] == answers["locked"]
    assert answers["known"][0] == 401


def test_the_login_page_answers_alike_for_unknown_and_known_users(client, people, csrf_from):
    unknown = _page_login(client, csrf_from, "nobody-here", address="198.51.100.5")
    known = _page_login(client, csrf_from, "candidat1", address="198.51.100.6")
    assert unknown.status_code == known.status_code == 401
    message = "Identifiant ou mot de passe incorrect."
    assert message in unknown.get_data(as_text=True) and message in known.get_data(as_text=True)
    assert "verrouill" not in known.get_data(as_text=True)


def test_the_login_page_throttles_in_french_with_retry_after(app, client, people, csrf_from):
    for n in range(app.config["LOGIN_ADDRESS_MAX_FAILURES"]):
        assert _page_login(client, csrf_from, f"agent{n}").status_code == 401
    response = _page_login(client, csrf_from, "candidat1", PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Trop de tentatives de connexion" in response.get_data(as_text=True)
    assert client.get("/").headers["Location"].endswith("/login")  # not logged in


def test_one_address_cannot_throttle_someone_elses_account(app, client, people):
    for _ in range(app.config["LOGIN_ADDRESS_MAX_FAILURES"] + 5):
        _token(client, "jury", address="203.0.113.66")
    assert _token(client, "jury", PASSWORD, address="192.0.2.10").status_code == 200


def test_guesses_spread_over_addresses_meet_the_account_limit(app, client, people):
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    for n in range(limit):
        assert _token(client, "jury", address=f"192.0.2.{n + 1}").status_code == 401
    assert _token(client, "jury", PASSWORD, address="192.0.2.200").status_code == 429
    # An unknown name is counted the same way: its throttling reveals nothing.
    for n in range(limit):
        _token(client, "no-such-jury", address=f"192.0.2.{n + 1}")
    assert _token(client, "no-such-jury", address="192.0.2.201").status_code == 429


def test_the_throttle_ends_when_failures_leave_the_window(app, client, people):
    for n in range(app.config["LOGIN_ADDRESS_MAX_FAILURES"]):
        _token(client, f"agent{n}")
    assert _token(client, "candidat1", PASSWORD).status_code == 429
    window = timedelta(seconds=app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])
    for failure in db.session.scalars(sa.select(LoginFailure)):
        failure.failed_at -= window
    db.session.commit()
    assert _token(client, "candidat1", PASSWORD).status_code == 200


def test_throttled_attempts_are_not_counted_and_names_are_not_stored(app, client, people):
    limit = app.config["LOGIN_ADDRESS_MAX_FAILURES"]
    for n in range(limit + 5):
        _token(client, f"secret-name-{n}")
    keys = db.session.scalars(sa.select(LoginFailure.key)).all()
    assert len(keys) == 2 * limit  # one per address, one per name, for counted failures only
    assert not any("secret-name" in key or "203.0.113" in key for key in keys)


def test_repeated_failures_do_not_reveal_that_an_account_exists(app, client, people):
    # Fewer failures than any limit, each from an address of its own: no throttling involved.
    failures = min(app.config["LOGIN_ACCOUNT_MAX_FAILURES"], 6) - 1
    for n in range(failures):
        _token(client, "candidat1", address=f"192.0.2.{n + 1}")
        _token(client, "nobody-here", address=f"198.51.100.{n + 1}")
    known = _token(client, "candidat1", address="192.0.2.250")
    unknown = _token(client, "nobody-here", address="198.51.100.250")
    assert (known.status_code, known.get_json()) == (unknown.status_code, unknown.get_json())
    # The account owner still gets in: a stranger's few failures lock nobody out.
    assert _token(client, "candidat1", PASSWORD, address="192.0.2.251").status_code == 200


def test_behind_a_trusted_proxy_each_client_address_counts(app):
    from crm.app import create_app

    proxied = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX_X_FOR": 1}
    )
    with proxied.app_context():
        db.create_all()
        client = proxied.test_client()
        limit = proxied.config["LOGIN_ADDRESS_MAX_FAILURES"]

        def attempt(forwarded_for):
            return client.post(
                "/api/v1/auth/token",
                json={"username": "someone", "password": "wrong password"},
                environ_base={"REMOTE_ADDR": "10.0.0.1"},
                headers={"X-Forwarded-For": forwarded_for},
            ).status_code

        assert [attempt("203.0.113.9") for _ in range(limit + 1)][-1] == 429
        # Same proxy, another client behind it: not throttled by the first one's failures.
        assert attempt("198.51.100.9") == 401
        db.session.remove()
        db.engine.dispose()
