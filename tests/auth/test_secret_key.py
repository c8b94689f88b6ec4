"""The session-signing key: given, or the installation's own in instance/, never a default."""

from __future__ import annotations

import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from crm.app import create_app
from crm.auth.services import create_user
from crm.extensions import db
from crm.secret_key import instance_secret_key

#: The key every installation used to share when SECRET_KEY was not set.
OLD_DEV_KEY = "dev-only-change-me"


def _forged_cookie(key: str, data: dict) -> str:
    """A session cookie for `data` signed with `key`, as an attacker would make it."""
    signer = Flask("forger")
    signer.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(data)


def test_cookie_forged_with_the_old_development_key_is_refused(tmp_path):
    # The configuration an installation gets when nobody sets SECRET_KEY.
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        db.create_all()
        create_user("formateur", "correct horse battery", "trainer")
        db.session.commit()
        client = app.test_client()
        client.set_cookie("session", _forged_cookie(OLD_DEV_KEY, {"_user_id": "1"}))
        response = client.get("/shifts/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        db.session.remove()
        db.engine.dispose()


def test_key_is_generated_owner_only_and_reused(tmp_path):
    settings = {"TESTING": True, "SECRET_KEY": None, "INSTANCE_PATH": str(tmp_path)}
    first = create_app(settings)
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secret_key == path.read_text().strip() and len(first.secret_key) == 64
    assert first.secret_key != OLD_DEV_KEY
    assert create_app(settings).secret_key == first.secret_key


def test_installations_get_different_keys(tmp_path):
    assert instance_secret_key(tmp_path / "a") != instance_secret_key(tmp_path / "b")


def test_given_secret_key_wins_and_creates_no_file(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "given", "INSTANCE_PATH": str(tmp_path)})
    assert app.secret_key == "given"
    assert not (tmp_path / "secret_key").exists()


def test_processes_starting_at_once_share_one_key(tmp_path):
    workers = 12
    barrier = threading.Barrier(workers)

    def start(_):
        barrier.wait()
        return instance_secret_key(tmp_path)

    with ThreadPoolExecutor(workers) as pool:
        keys = set(pool.map(start, range(workers)))
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert os.listdir(tmp_path) == ["secret_key"]  # no temporary file left behind


def test_a_key_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("k" * 64)
    path.chmod(0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        instance_secret_key(tmp_path)
