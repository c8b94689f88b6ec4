"""Fixtures for the role-play: the room's (API clients per role, the house clock, web sessions)."""

from __future__ import annotations

import pytest
from flask import g

from crm.db import db
from crm.extensions import socketio
from tests.softphone.room.conftest import cand, clock, jury, trainer, web  # noqa: F401

OWN_ORIGIN = "http://localhost"


@pytest.fixture
def live(shift):
    """The shift, switched to mode `live` (a person plays every customer)."""
    shift.mode = "live"
    db.session.commit()
    return shift


@pytest.fixture
def console_socket(app, web):  # noqa: F811
    """Factory: console_socket("formateur"): a `/roleplay` socket client of a logged-in browser."""

    def make(username: str | None, origin: str | None = OWN_ORIGIN):
        headers = {"Origin": origin} if origin is not None else {}
        socket = socketio.test_client(
            app, namespace="/roleplay", flask_test_client=web(username), headers=headers
        )
        g.pop("_login_user", None)
        return socket

    return make
