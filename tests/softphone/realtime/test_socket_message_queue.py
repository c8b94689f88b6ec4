"""Scale-out: an emit from another process (a write-only SocketIO on Redis) reaches the desk.

Flask-SocketIO's test client refuses a server with a message queue, so this test serves the app
for real (Werkzeug, threading mode, Redis queue) and talks Engine.IO long-polling over HTTP.
Redis at 127.0.0.1:6379: skipped when unreachable, a failure when CI=true.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import uuid

import pytest
from flask_socketio import SocketIO
from werkzeug.serving import make_server

from crm.app import create_app
from crm.db import db
from crm.extensions import socketio

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("PLATEAU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip():
    """A Redis client, or skip (fail in CI) when Redis is not there."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
        return client
    except Exception as exc:  # ImportError, connection refused, timeout…
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")


@pytest.fixture
def redis_client():
    """Redis, reachable (or the test is skipped / failed)."""
    client = _redis_or_skip()
    yield client
    client.close()


@pytest.fixture
def channel(redis_client):
    """A channel of our own, so that other test runs on the same Redis cannot interfere."""
    return f"plateau-test-{uuid.uuid4().hex}"


@pytest.fixture
def app(channel):
    """The app with the Redis message queue (overrides the shared `app` fixture)."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
            "SOCKETIO_CHANNEL": channel,
        }
    )
    try:
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        # The options outlive init_app: without this, later apps would keep the Redis manager.
        socketio.server_options.pop("client_manager", None)
        socketio.server_options.pop("message_queue", None)
        socketio.server_options.pop("channel", None)


class Polling:
    """A minimal Engine.IO v4 long-polling client (what a browser does before upgrading)."""

    def __init__(self, port: int, cookie: str):
        self.port = port
        self.headers = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
        self.sid = None

    def _request(self, method: str, body: str | None = None) -> str:
        query = "EIO=4&transport=polling" + (f"&sid={self.sid}" if self.sid else "")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, f"/socket.io/?{query}", body=body, headers=self.headers)
            response = conn.getresponse()
            text = response.read().decode()
            assert response.status == 200, text
            return text
        finally:
            conn.close()

    def packets(self) -> list[str]:
        """Wait for the next batch of packets (a long poll)."""
        return self._request("GET").split("\x1e")

    def send(self, packet: str) -> None:
        """Send one packet."""
        assert self._request("POST", packet).lower() == "ok"

    def open(self) -> None:
        """Handshake, then connect to the /desk namespace."""
        [opening] = self.packets()
        assert opening[0] == "0", opening
        self.sid = json.loads(opening[1:])["sid"]
        self.send("40/desk,")
        [ack] = self.packets()
        assert ack.startswith("40/desk,"), ack  # "44/desk," would be a refusal

    def close(self) -> None:
        """Leave the namespace and close the Engine.IO session."""
        self.send("41/desk,")
        self.send("1")


def _wait_subscribed(redis_client, channel: str) -> None:
    """The server's Redis listener subscribes in a background thread: wait until it has."""
    deadline = time.monotonic() + 10
    while redis_client.pubsub_numsub(channel)[0][1] < 1:
        assert time.monotonic() < deadline, "the server never subscribed to its channel"
        time.sleep(0.02)


def test_an_emit_from_another_process_reaches_the_desk(app, attempt, people, redis_client, channel):
    attempt_id, session_id = attempt.id, people["cand1"].get_id()
    web = app.test_client()
    with web.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    cookie = f"session={web.get_cookie('session').value}"
    db.session.remove()  # the server's threads share the in-memory database's connection

    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    client = Polling(server.server_port, cookie)
    try:
        client.open()
        _wait_subscribed(redis_client, channel)
        other = SocketIO(message_queue=REDIS_URL, channel=channel)  # write-only
        other.emit(
            "changed",
            {"topics": ["crm"], "at": "2026-01-01T00:00:00.000+00:00"},
            namespace="/desk",
            to=f"attempt:{attempt_id}",
        )
        [packet] = client.packets()
        assert packet.startswith("42/desk,"), packet
        assert json.loads(packet[len("42/desk,") :]) == [
            "changed",
            {"topics": ["crm"], "at": "2026-01-01T00:00:00.000+00:00"},
        ]
        client.close()
    finally:
        server.shutdown()
        server.server_close()
        serving.join(timeout=10)
