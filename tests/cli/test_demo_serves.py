"""`plateau demo` really serves: run it as a person would and fetch the login page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_creates_the_database_and_serves(tmp_path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path}/demo.db")
    env.pop("FLASK_RUN_FROM_CLI", None)
    process = subprocess.Popen(
        [sys.executable, "-c", "from crm.cli import main; main()", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as reply:
                    page = reply.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert process.poll() is None, process.stdout.read()
        assert page is not None and "Connexion à Plateau" in page
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "candidat1" in output and "plateau-demo" in output
