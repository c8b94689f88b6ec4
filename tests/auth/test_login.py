"""Login page, logout, language switch and role guards on pages (throttling: test_throttle)."""

from __future__ import annotations

import pytest


def _login_form(client, csrf_from, username, password):
    page = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page)},
    )


def test_login_page_is_french(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Connexion à Plateau" in html and "Mot de passe" in html


def test_passwords_are_hashed_with_argon2(people):
    user = people["cand1"]
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


def test_good_login_redirects_each_role_home(client, people, csrf_from):
    response = _login_form(client, csrf_from, "candidat1", "correct horse battery")
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/clients")


def test_trainer_lands_on_shifts(client, people, csrf_from):
    _login_form(client, csrf_from, "formateur", "correct horse battery")
    assert client.get("/").headers["Location"].endswith("/shifts/")


def test_bad_password_is_refused_in_french(client, people, csrf_from):
    response = _login_form(client, csrf_from, "candidat1", "wrong password")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, people):
    response = client.post("/login", data={"username": "candidat1", "password": "x" * 10})
    assert response.status_code in (400, 200)
    assert b"/clients" not in response.data
    assert client.get("/").headers["Location"].endswith("/login")


def test_open_redirect_is_refused(client, people, csrf_from):
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login?next=https://evil.example/",
        data={
            "username": "candidat1",
            "password": "correct horse battery",
            "csrf_token": csrf_from(page),
        },
    )
    assert response.headers["Location"] == "/"


def test_logout_needs_post_with_csrf(client, people, login, csrf_from):
    login("candidat1")
    assert client.get("/logout").status_code == 405
    page = client.get("/shifts/", follow_redirects=True).get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(page)})
    assert client.get("/").headers["Location"].endswith("/login")


@pytest.mark.parametrize("path", ["/shifts/", "/attempts/1/timeline"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/shifts/", "/attempts/1/timeline"])
def test_candidate_gets_403_on_trainer_pages(client, login, shift, path):
    login("candidat1")
    response = client.get(path)
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_language_switch_to_english_and_back(client, people, login, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_from(page)})
    assert 'lang="en"' in client.get("/shifts/").get_data(as_text=True)
