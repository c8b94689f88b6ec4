"""Headers on every answer: Content-Security-Policy, no-store, and Secure cookies over HTTPS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Response

from crm.config import ROOT
from crm.extensions import db
from crm.http_security import mark_cookies_secure

TEMPLATES = Path(ROOT) / "templates"


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize(
    "path", ["/login", "/api/v1/openapi.json", "/static/js/plateau.js", "/no-such-page"]
)
def test_every_answer_has_a_content_security_policy(client, path):
    with client.get(path) as response:
        policy = _directives(response)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "ws://localhost" in policy["connect-src"] and "wss://localhost" in policy["connect-src"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'self'"


def test_templates_hold_no_inline_script_style_or_handler():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                found.append(f"{path.name}: {tag}")
        found += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        found += [f"{path.name}: {m}" for m in re.findall(r"\sstyle\s*=|<style\b", text)]
    assert found == []


def test_authenticated_pages_and_api_answers_are_not_stored(client, people, login, api):
    assert api.as_("jury").get("/me").headers["Cache-Control"] == "no-store"
    login("formateur")
    assert client.get("/shifts/").headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    with client.get("/static/css/plateau.css") as response:
        assert "no-store" not in response.headers.get("Cache-Control", "")


def _session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def _first_visit(app, **kwargs) -> str:
    """The session cookie a new browser gets on the login page (an app context of its own:
    the tests' shared one would keep the first visit's CSRF token on `g`)."""
    with app.app_context():
        return _session_cookie(app.test_client().get("/login", **kwargs))


def test_session_cookie_is_secure_over_https_only(app):
    secure = _first_visit(app, base_url="https://plateau.example")
    assert "Secure" in secure and "HttpOnly" in secure
    assert "Secure" not in _first_visit(app)


@pytest.mark.parametrize(("setting", "expected"), [(True, True), (False, False)])
def test_session_cookie_secure_can_be_forced(app, setting, expected):
    app.config["SESSION_COOKIE_SECURE"] = setting
    assert ("Secure" in _first_visit(app)) is expected


def test_other_cookies_get_the_secure_flag_over_https(app):
    with app.test_request_context("/", base_url="https://plateau.example"):
        response = Response()
        response.set_cookie("remember_token", "x")
        response.set_cookie("already", "y", secure=True)
        cookies = mark_cookies_secure(response).headers.getlist("Set-Cookie")
    assert all(cookie.count("Secure") == 1 for cookie in cookies) and len(cookies) == 2
    with app.test_request_context("/"):
        response = Response()
        response.set_cookie("remember_token", "x")
        assert "Secure" not in mark_cookies_secure(response).headers["Set-Cookie"]


def test_behind_a_trusted_proxy_the_forwarded_scheme_decides():
    from crm.app import create_app

    proxied = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "PROXY_FIX_X_FOR": 1}
    )
    with proxied.app_context():
        response = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in _session_cookie(response)
        db.engine.dispose()
