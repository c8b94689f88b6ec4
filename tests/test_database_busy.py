"""The SQLite write path: reads take no write lock; a write that cannot have it answers 503.

A real SQLite file, and a second connection holding the write lock (`BEGIN IMMEDIATE`) as
another process or a long writer would.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.app import create_app
from crm.contacts.models import Contact
from crm.db import db
from tests.conftest import PASSWORD, Api, _csrf_from


@pytest.fixture
def file_app(tmp_path):
    """An app on a SQLite file, a running shift for candidat1, a short lock wait."""
    from crm.auth.services import create_user
    from crm.training.services import change_shift_status, create_shift

    path = tmp_path / "busy.db"
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "DB_LOCK_TIMEOUT": 0.2}
    )
    with app.app_context():
        db.create_all()
        candidate = create_user("candidat1", PASSWORD, "candidate", "Camille")
        shift = create_shift("bureau-direct", [candidate])
        change_shift_status(shift, "start")
        db.session.commit()
        app.config["attempt_id"] = shift.attempts[0].id
        db.session.remove()
    app.config["db_path"] = str(path)
    yield app
    with app.app_context():
        db.engine.dispose()


@contextmanager
def write_lock_held(path: str):
    """Another connection holds SQLite's write lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def _counts(app) -> tuple[int, int]:
    with app.app_context():
        actions = db.session.scalar(sa.select(sa.func.count()).select_from(Action))
        contacts = db.session.scalar(sa.select(sa.func.count()).select_from(Contact))
        db.session.remove()
        return actions, contacts


def test_reads_and_token_lookups_take_no_write_lock(file_app):
    api = Api(file_app.test_client()).as_("candidat1")
    with write_lock_held(file_app.config["db_path"]):
        response = api.get("/qualification-codes")
        phone = api.get("/phone")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] > 0
    assert phone.status_code == 200


def test_api_write_without_the_lock_is_503_with_retry_after_and_writes_nothing(file_app):
    api = Api(file_app.test_client()).as_("candidat1")
    before = _counts(file_app)
    with write_lock_held(file_app.config["db_path"]):
        response = api.post("/contacts", {"channel": "phone", "direction": "inbound"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.get_json()["error"]["code"] == "busy"
    assert _counts(file_app) == before
    # Once the lock is free, the same request goes through.
    assert api.post("/contacts", {"channel": "phone", "direction": "inbound"}).status_code == 201
    assert _counts(file_app)[1] == before[1] + 1


def test_recorded_read_without_the_lock_is_a_503_page(file_app):
    client = file_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"username": "candidat1", "password": PASSWORD, "csrf_token": _csrf_from(page)},
    )
    with file_app.app_context():
        from crm.clients.models import Client

        client_id = db.session.scalar(
            sa.select(Client.id).where(Client.attempt_id == file_app.config["attempt_id"])
        )
        db.session.remove()
    before = _counts(file_app)
    with write_lock_held(file_app.config["db_path"]):
        # Opening a file is recorded (client.viewed): the page is read, the action cannot be.
        response = client.get(f"/clients/{client_id}")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "Serveur occupé" in response.get_data(as_text=True)
    assert _counts(file_app) == before
    assert client.get(f"/clients/{client_id}").status_code == 200
    assert _counts(file_app)[0] == before[0] + 1


def test_the_openapi_document_names_the_503(file_app):
    document = file_app.test_client().get("/api/v1/openapi.json").get_json()
    answer = document["paths"]["/api/v1/contacts"]["post"]["responses"]["503"]
    assert "Retry-After" in answer["headers"]
