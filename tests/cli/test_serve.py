"""`plateau serve`: the production server, its refusals, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests
import socketio

from crm.cli import check_workers
from crm.serving import close_socket_connections
from tests.conftest import _csrf_from

SERVE = [sys.executable, "-c", "from crm.cli import main; main()", "serve"]


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict, *args: str) -> tuple[subprocess.Popen, str]:
    """`plateau serve` in a subprocess on a free port; waits until it answers."""
    port = free_port()
    process = subprocess.Popen(
        [*SERVE, "--host", "127.0.0.1", "--port", str(port), *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            requests.get(url + "/login", timeout=2)
            return process, url
        except requests.RequestException:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"server did not start: {process.stdout.read()}")


def test_several_workers_on_sqlite_are_refused(runner):
    result = runner.invoke(args=["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "--workers > 1 needs PostgreSQL" in result.output


def test_several_workers_need_a_message_queue():
    with pytest.raises(Exception, match="SOCKETIO_MESSAGE_QUEUE"):
        check_workers(2, "postgresql+psycopg://u@127.0.0.1/db", None)
    check_workers(2, "postgresql+psycopg://u@127.0.0.1/db", "redis://127.0.0.1:6379/0")
    check_workers(1, "sqlite:///x.db", None)


def test_closing_socket_connections_without_socketio_is_harmless(app):
    app.extensions.pop("socketio", None)
    close_socket_connections(app)


def test_sigterm_stops_cleanly_with_desks_connected(tmp_path):
    """A served room (a desk on WebSocket, requests going on) stops on SIGTERM: exit 0."""
    database = f"sqlite:///{tmp_path}/serve.db"
    env = {"DATABASE_URL": database, "SOCKETIO_MESSAGE_QUEUE": ""}
    subprocess.run(
        [sys.executable, "-c", "from crm.cli import main; main()", "demo", "--no-serve"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    process, url = start_server(env)
    try:
        web = requests.Session()
        page = web.get(url + "/login", timeout=10).text
        token = _csrf_from(page)
        web.post(
            url + "/login",
            data={"csrf_token": token, "username": "candidat1", "password": "plateau-demo"},
            timeout=10,
        )
        desk = socketio.Client(reconnection=False)
        cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
        desk.connect(
            url, namespaces=["/desk"], transports=["websocket"], headers={"Cookie": cookie}
        )
        assert desk.connected and desk.transport() == "websocket"
        assert web.get(url + "/clients", timeout=10).status_code == 200
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    desk.disconnect()
