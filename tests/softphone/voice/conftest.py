"""Fixtures for voice: the room's API clients, recordings in a temporary folder, a voiced call."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import g

from crm.auth.models import User
from crm.db import db
from crm.extensions import socketio
from tests.softphone.room.conftest import KNOWN_PHONE, cand, clock, jury, trainer  # noqa: F401

OWN_ORIGIN = "http://localhost"
#: The first bytes of a WebM file (EBML), then anything: what the server checks.
WEBM = b"\x1a\x45\xdf\xa3" + bytes(range(256)) * 8


@pytest.fixture
def recordings(app, tmp_path):
    """RECORDINGS_DIR in the test's temporary folder."""
    folder = tmp_path / "recordings"
    app.config["RECORDINGS_DIR"] = str(folder)
    return folder


def ring_and_take(trainer, cand, attempt, player=None) -> int:  # noqa: F811
    """A free call rung, answered by cand1 and taken by `player` (the trainer): its id."""
    cand.post("/phone/state", {"state": "ready"})
    rung = trainer.post(f"/attempts/{attempt.id}/inject", {"kind": "call", "party": KNOWN_PHONE})
    assert rung.status_code == 201, rung.get_json()
    call_id = rung.get_json()["call"]["id"]
    assert cand.post(f"/calls/{call_id}/answer").status_code == 200
    taken = (player or trainer).post(f"/roleplay/calls/{call_id}/take")
    assert taken.status_code == 200, taken.get_json()
    return call_id


@pytest.fixture
def live_call(trainer, cand, attempt):  # noqa: F811
    """A call cand1 answered and the trainer plays, still connected: its id."""
    return ring_and_take(trainer, cand, attempt)


@pytest.fixture
def voiced_call(trainer, live_call):  # noqa: F811
    """The played call, hung up by the customer: ready for its recording."""
    assert trainer.post(f"/calls/{live_call}/customer-hangup").status_code == 200
    return live_call


def upload(api_client, call_id: int, data: bytes = WEBM, media: str = "audio/webm"):
    """POST the recording as the browser does: raw bytes with their type."""
    return api_client.client.post(
        f"/api/v1/calls/{call_id}/recording",
        data=data,
        headers={**api_client._headers(), "Content-Type": media},
    )


@pytest.fixture
def voice_socket(app):
    """Factory: voice_socket("formateur") is a `/voice` socket client of a logged-in browser."""

    def make(username: str | None, origin: str | None = OWN_ORIGIN):
        headers = {"Origin": origin} if origin is not None else {}
        browser = app.test_client()
        g.pop("_login_user", None)
        if username is not None:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            with browser.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
        socket = socketio.test_client(
            app, namespace="/voice", flask_test_client=browser, headers=headers
        )
        g.pop("_login_user", None)
        db.session.rollback()
        return socket

    return make
