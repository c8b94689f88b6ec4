"""Fixtures for socket tests: logged-in browsers and their `/desk` Socket.IO test clients."""

from __future__ import annotations

import pytest
from flask import g

from crm.extensions import socketio

OWN_ORIGIN = "http://localhost"


@pytest.fixture
def browser(app, people):
    """Factory: browser("candidatN") is a new Flask test client whose session is logged in."""
    users = {user.username: user for user in people.values()}

    def make(username: str | None = None):
        web = app.test_client()
        # Requests share the test's app context, where Flask-Login caches the last user.
        g.pop("_login_user", None)
        if username is not None:
            # The session Flask-Login's login_user writes (the login form has its own tests):
            # the user's id and current session generation.
            with web.session_transaction() as session:
                session["_user_id"] = users[username].get_id()
                session["_fresh"] = True
        return web

    return make


@pytest.fixture
def desk(app, browser):
    """Factory: desk("candidat1", origin=...) is a `/desk` socket client of a logged-in browser."""

    def make(username: str | None, origin: str | None = OWN_ORIGIN):
        headers = {"Origin": origin} if origin is not None else {}
        socket = socketio.test_client(
            app, namespace="/desk", flask_test_client=browser(username), headers=headers
        )
        # The handler ran in the test's app context: leave no user cached for later requests.
        g.pop("_login_user", None)
        return socket

    return make


def _events(socket) -> list[tuple[str, list]]:
    """(name, args) of what the socket received since the last call."""
    return [(e["name"], e["args"]) for e in socket.get_received("/desk")]


def _rooms(socket) -> set[str]:
    """The rooms a connected socket client is in (besides its own sid room)."""
    sid = socketio.server.manager.sid_from_eio_sid(socket.eio_sid, "/desk")
    return {r for r in socketio.server.rooms(sid, namespace="/desk") if r != sid}


@pytest.fixture
def received():
    """Function: received(socket) → [(event name, args)] since the last call."""
    return _events


@pytest.fixture
def rooms():
    """Function: rooms(socket) → the rooms that socket joined."""
    return _rooms
