"""Serving Plateau for real in tests: `plateau` subprocesses, their logins and desks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import requests
import socketio

from tests.conftest import _csrf_from

PLATEAU = [sys.executable, "-c", "from crm.cli import main; main()"]
DEMO_PASSWORD = "plateau-demo"


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plateau(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run a `plateau` command to its end (output captured)."""
    return subprocess.run(
        [*PLATEAU, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


class Served:
    """`plateau serve` in its own process group, on a free port."""

    def __init__(self, env: dict, *args: str):
        # A free port may be taken by someone else before the server binds it: then the
        # server exits (address in use) or another program answers; try another port.
        for _ in range(5):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.process = subprocess.Popen(
                [*PLATEAU, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
                env={**os.environ, **env},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            if self._answers():
                return
            self.close()
        raise AssertionError("the server did not start")

    def _answers(self) -> bool:
        """Wait until this server serves its login page; False if it exited or never did."""
        deadline = time.monotonic() + 90
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                page = requests.get(self.url + "/login", timeout=2)
            except requests.RequestException:
                time.sleep(0.2)
                continue
            return self.process.poll() is None and "csrf_token" in page.text
        return False

    def kill(self) -> None:
        """SIGKILL the server and its workers at once (a crash, a power cut)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=30)

    def stop(self) -> str:
        """SIGTERM, wait for the exit; the output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        output, _ = self.process.communicate(timeout=60)
        return output

    def close(self) -> None:
        """Make sure nothing is left running (the test's cleanup)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process.stdout is not None and not self.process.stdout.closed:
            self.process.communicate(timeout=30)


def api_session(url: str, username: str, password: str = DEMO_PASSWORD) -> requests.Session:
    """A requests session carrying a bearer token of `username`."""
    session = requests.Session()
    answer = session.post(
        url + "/api/v1/auth/token", json={"username": username, "password": password}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    session.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return session


def desk_client(url: str, username: str, password: str = DEMO_PASSWORD) -> socketio.Client:
    """A desk's Socket.IO client (WebSocket), logged in through the login form; its `changed`
    pushes are appended to `client.changes`."""
    web = requests.Session()
    page = web.get(url + "/login", timeout=30).text
    web.post(
        url + "/login",
        data={"csrf_token": _csrf_from(page), "username": username, "password": password},
        timeout=30,
    )
    client = socketio.Client(reconnection=False)
    client.changes = []
    client.on("changed", client.changes.append, namespace="/desk")
    cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
    client.connect(url, namespaces=["/desk"], transports=["websocket"], headers={"Cookie": cookie})
    return client


def wait_until(condition, timeout: float = 60, step: float = 0.2) -> bool:
    """Poll `condition()` until true or `timeout` seconds; its last value."""
    deadline = time.monotonic() + timeout
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(step)
    return bool(result)
