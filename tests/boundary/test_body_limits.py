"""Request bodies have limits: 413 before the body is read, JSON on the API (issue 10, item 5)."""

from __future__ import annotations

import io

import pytest

from crm.app import create_app

MB = 1024 * 1024


class UnreadableStream(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def _bearer(api, username):
    return {"Authorization": f"Bearer {api.as_(username).token}"}


def test_a_json_body_past_the_api_limit_is_a_413_json_error(client, api, shift):
    body = '{"client_id": 1, "padding": "' + "x" * (300 * 1024) + '"}'
    response = client.post(
        "/api/v1/orders",
        data=body,
        content_type="application/json",
        headers=_bearer(api, "candidat1"),
    )
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["max_bytes"] == 256 * 1024 and error["message"]


def test_a_json_body_under_the_limit_is_read(client, api, shift):
    response = client.post(
        "/api/v1/orders",
        data='{"client_id": 1, "padding": "%s"}' % ("x" * 1000),
        content_type="application/json",
        headers=_bearer(api, "candidat1"),
    )
    assert response.status_code != 413


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/orders", "/login"])
def test_an_unauthenticated_50_mb_body_is_refused_unread(client, path):
    response = client.post(
        path,
        content_type="application/json" if path.startswith("/api/") else "text/plain",
        environ_overrides={"wsgi.input": UnreadableStream(), "CONTENT_LENGTH": str(50 * MB)},
    )
    assert response.status_code == 413


def test_a_body_without_length_stops_at_the_limit(client):
    response = client.post(
        "/api/v1/auth/token",
        input_stream=io.BytesIO(b'{"username": "' + b"x" * (2 * MB) + b'"}'),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_page_form_past_the_limit_is_a_413_page(client, login, shift):
    login("candidat1")
    response = client.post(
        "/clients/new",
        data={"last_name": "x" * (2 * MB)},
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.get_data(as_text=True)


def test_the_limits_are_configurable(api, shift, app):
    small = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "API_MAX_JSON_BYTES": 100,
        }
    )
    response = small.test_client().post(
        "/api/v1/auth/token", json={"username": "x" * 200, "password": "y"}
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["max_bytes"] == 100
