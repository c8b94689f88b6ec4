"""Fixtures for the room: API helpers per role, a movable house clock, `/room` socket clients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import g

import crm.clock
from crm.extensions import socketio

OWN_ORIGIN = "http://localhost"
#: A number of the default scenario's clients (screen pop) and one nobody has.
KNOWN_PHONE = "04 65 71 13 05"
UNKNOWN_PHONE = "04 99 00 00 07"


class Clock:
    """The house clock (config `CLOCK`), moved by hand."""

    def __init__(self):
        self.now = crm.clock.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock(app):
    """The app's house clock (config CLOCK), frozen at the test's start until advanced."""
    fake = Clock()
    app.config["CLOCK"] = fake
    return fake


@pytest.fixture
def trainer(api, people):
    """The trainer's API client."""
    return api.as_("formateur", lazy=True)


@pytest.fixture
def cand(api, people):
    """cand1's API client."""
    return api.as_("candidat1", lazy=True)


@pytest.fixture
def jury(api, people):
    """The evaluator's API client."""
    return api.as_("jury", lazy=True)


@pytest.fixture
def web(app, people):
    """Factory: web("formateur") is a new Flask test client whose session is logged in."""
    users = {user.username: user for user in people.values()}

    def make(username: str | None = None):
        client = app.test_client()
        g.pop("_login_user", None)
        if username is not None:
            with client.session_transaction() as session:
                session["_user_id"] = users[username].get_id()
                session["_fresh"] = True
        return client

    return make


@pytest.fixture
def room_socket(app, web):
    """Factory: room_socket("formateur") is a `/room` socket client of a logged-in browser."""

    def make(username: str | None, origin: str | None = OWN_ORIGIN):
        headers = {"Origin": origin} if origin is not None else {}
        socket = socketio.test_client(
            app, namespace="/room", flask_test_client=web(username), headers=headers
        )
        g.pop("_login_user", None)
        return socket

    return make


@pytest.fixture
def tiles_received():
    """Function: tiles_received(socket) → the `tiles` payloads received since the last call."""

    def read(socket):
        return [e["args"][0] for e in socket.get_received("/room") if e["name"] == "tiles"]

    return read
