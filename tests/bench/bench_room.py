"""Benchmark: a room of N candidates on one server, each at one action a second.

It starts the real server as a user would (`plateau serve` in a subprocess) on a fresh database
holding a running shift of the largest N candidates (a `live` shift: the pack's timeline rings
the candidates and the trainer would play those customers, so no script answers). Each candidate
logs in twice like the desk does (a bearer token for the API, a session for Socket.IO), connects
its desk's Socket.IO client over WebSocket (joined to its attempt's and user's rooms) and, at one
request a second, goes round a realistic mix: search a client, open its file, add an order line,
read the phone, answer the ringing call or else dial, say a turn, hang up, qualify the contact,
a customer's chat (the trainer plays them), reply, close it. For
each N it prints throughput, latency percentiles, errors, push latency (from the server's `at`
to the client) and the server's CPU;
then the same for the bare ceiling (`room_bare.py`: one read, one chained insert, a commit and a
push per request) served the same way.

SQLite with one process; PostgreSQL + Redis with two processes (skipped when unreachable).
Settings (environment): PLATEAU_BENCH_LEVELS (default "50,100,200"), PLATEAU_BENCH_SECONDS
(per level, default 20), PLATEAU_BENCH_BACKENDS ("sqlite,postgres"), PLATEAU_BENCH_REDIS
(default redis://127.0.0.1:6379/13), PLATEAU_BENCH_WORKERS (PostgreSQL, default 2),
PLATEAU_BENCH_SOURCE (the checkout the servers run from; default this one),
PLATEAU_BENCH_SERVE_ARGS (more `plateau serve` options, e.g. "--concurrency 4", to tune them).
It asserts nothing about time.
"""

from __future__ import annotations

import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]
LEVELS = [int(n) for n in os.environ.get("PLATEAU_BENCH_LEVELS", "50,100,200").split(",")]
SECONDS = float(os.environ.get("PLATEAU_BENCH_SECONDS", "20"))
BACKENDS = os.environ.get("PLATEAU_BENCH_BACKENDS", "sqlite,postgres").split(",")
REDIS_URL = os.environ.get("PLATEAU_BENCH_REDIS", "redis://127.0.0.1:6379/13")
PG_WORKERS = int(os.environ.get("PLATEAU_BENCH_WORKERS", "2"))
#: The checkout the servers run from (another one to measure it, e.g. the code before a change).
SOURCE = Path(os.environ.get("PLATEAU_BENCH_SOURCE", ROOT))
#: More `plateau serve` options for Plateau's server (not the bare one), to compare settings.
SERVE_ARGS = os.environ.get("PLATEAU_BENCH_SERVE_ARGS", "").split()
PASSWORD = "bench password"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server subprocess, its base URL and its CPU time (the process and its children)."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # Open for the server's whole life, read only when it fails to start.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [*args, "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=SOURCE,
            env={**os.environ, "PYTHONPATH": str(SOURCE), **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        """Wait until `path` answers (any status); fail with the server's output otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(self.url + path, timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        self.log.seek(0)
        raise RuntimeError(f"server did not start:\n{self.log.read().decode()[-3000:]}")

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and every process below it."""
        ticks = os.sysconf("SC_CLK_TCK")
        children: dict[int, list[int]] = {}
        times: dict[int, float] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            times[pid] = (int(fields[11]) + int(fields[12])) / ticks
        total, todo = 0.0, [self.process.pid]
        while todo:
            pid = todo.pop()
            total += times.get(pid, 0.0)
            todo.extend(children.get(pid, []))
        return total

    def stop(self) -> None:
        """SIGTERM, then wait (kill after 30 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# -- the room -------------------------------------------------------------------------------


def seed_room(database_url: str, size: int) -> list[tuple[str, int]]:
    """Migrate a fresh database; a trainer and `size` candidates in a running live shift."""
    from crm.app import create_app
    from crm.auth.services import create_user
    from crm.cli import upgrade_database
    from crm.db import db
    from crm.training.services import change_shift_status, create_shift

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade_database()
        trainer = create_user("bench-trainer", PASSWORD, "trainer", "Bench")
        candidates = [
            create_user(f"bench{n:03d}", PASSWORD, "candidate", f"Candidat {n}")
            for n in range(1, size + 1)
        ]
        shift = create_shift("bureau-direct", candidates, created_by=trainer, mode="live")
        change_shift_status(shift, "start")
        db.session.commit()
        pairs = [(a.candidate.username, a.id) for a in shift.attempts]
        db.session.remove()
        db.engine.dispose()
    return sorted(pairs)


@dataclass
class Sample:
    """One request: when it was sent (monotonic), how long it took, its outcome."""

    sent: float
    seconds: float
    status: int  # 0: no answer (connection error, timeout)
    step: str


@dataclass
class Desk:
    """One candidate's HTTP session, Socket.IO client and the objects of its round."""

    base: str
    http: requests.Session = field(default_factory=requests.Session)
    sio: socketio.Client | None = None
    #: The trainer's session, who plays the customers writing in.
    trainer: requests.Session | None = None
    pushes: list[float] = field(default_factory=list)
    state: dict = field(default_factory=dict)
    step: int = 0

    def connect_socket(self, namespace: str, cookie: str | None, auth: dict | None) -> None:
        """Open the desk's Socket.IO connection (WebSocket only) and time each push."""
        client = socketio.Client(reconnection=False)

        @client.on("changed", namespace=namespace)
        def _changed(data):
            at = data.get("at") if isinstance(data, dict) else None
            if at:
                delay = time.time() - datetime.fromisoformat(at).timestamp()
                self.pushes.append(delay)

        headers = {"Cookie": cookie} if cookie else {}
        client.connect(
            self.base,
            namespaces=[namespace],
            transports=["websocket"],
            headers=headers,
            auth=auth,
            wait_timeout=30,
        )
        self.sio = client

    def close(self) -> None:
        """Disconnect the Socket.IO client."""
        if self.sio is not None:
            self.sio.disconnect()


def _api(desk: Desk, method: str, path: str, **kw) -> requests.Response:
    return desk.http.request(method, desk.base + "/api/v1" + path, timeout=30, **kw)


def _ok(send, what: str) -> dict:
    """The JSON of a setup request (`send()`), retried while the server answers 5xx."""
    for _ in range(10):
        response = send()
        if response.status_code < 500:
            break
        time.sleep(1)
    if response.status_code >= 300:
        raise RuntimeError(f"{what}: {response.status_code} {response.text[:300]}")
    return response.json()


def open_desk(base: str, username: str, attempt_id: int, trainer: requests.Session) -> Desk:
    """Log a candidate in (token + session), connect the desk, prepare the round's objects."""
    desk = Desk(base)
    web = requests.Session()
    for _ in range(10):  # setup is not measured: retry what the server could not serve
        page = web.get(base + "/login", timeout=30).text
        token = CSRF_INPUT.search(page).group(1)
        login = web.post(
            base + "/login",
            data={"csrf_token": token, "username": username, "password": PASSWORD},
            timeout=30,
            allow_redirects=False,
        )
        if login.status_code == 302:
            break
        time.sleep(1)
    cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
    answer = _ok(
        lambda: desk.http.post(
            base + "/api/v1/auth/token",
            json={"username": username, "password": PASSWORD},
            timeout=30,
        ),
        "token",
    )
    desk.http.headers["Authorization"] = f"Bearer {answer['token']}"
    desk.connect_socket("/desk", cookie, None)
    clients = _ok(lambda: _api(desk, "GET", "/clients?limit=20"), "clients")["items"]
    client = random.choice([c for c in clients if c["phones"] and c["kind"] == "client"])
    products = _ok(lambda: _api(desk, "GET", "/products?limit=100"), "products")["items"]
    product = max(products, key=lambda p: p["stock"])
    order = _ok(lambda: _api(desk, "POST", "/orders", json={"client_id": client["id"]}), "order")
    _ok(lambda: _api(desk, "POST", "/phone/state", json={"state": "ready"}), "ready")
    desk.trainer = requests.Session()
    desk.trainer.headers["Authorization"] = trainer.headers["Authorization"]
    desk.state = {
        "attempt": attempt_id,
        "client": client,
        "term": client["name"].split()[-1][:5],
        "product": product["id"],
        "order": order["id"],
    }
    return desk


def plateau_step(desk: Desk) -> tuple[str, requests.Response]:
    """The desk's next action of its round: a search, a file, an order line, the phone read (as
    the desk does on a push), a call — the ringing one answered (the shift's timeline rings the
    candidates; the trainer plays those customers), else one dialled — a turn said, hung up,
    qualified, then a customer's chat message (the trainer plays them) answered and closed."""
    s = desk.state
    index = desk.step % 11
    desk.step += 1
    if index == 0:
        return "search", _api(desk, "GET", "/clients", params={"q": s["term"]})
    if index == 1:
        return "file", _api(desk, "GET", f"/clients/{s['client']['id']}")
    if index == 2:
        body = {"product_id": s["product"], "quantity": 1, "backorder": True}
        return "order_line", _api(desk, "POST", f"/orders/{s['order']}/lines", json=body)
    if index == 3:
        response = _api(desk, "GET", "/phone")
        phone = response.json() if response.status_code == 200 else {}
        ringing = phone.get("state") == "ringing" and phone.get("call")
        s["ringing"] = phone["call"]["id"] if ringing else None
        return "phone", response
    if index == 4:
        if s.get("ringing"):
            response = _api(desk, "POST", f"/calls/{s['ringing']}/answer")
            step = "answer"
        else:
            body = {"number": s["client"]["phones"][0], "acknowledge_rules": True}
            response = _api(desk, "POST", "/calls", json=body)
            step = "dial"
        if response.status_code in (200, 201):
            s["call"], s["contact"] = response.json()["id"], response.json()["contact_id"]
        return step, response
    if index == 5:
        body = {"text": "Bonjour, je vous appelle au sujet de votre commande."}
        response = _api(desk, "POST", f"/calls/{s.get('call', 0)}/say", json=body)
        s["ended"] = response.status_code == 200 and response.json()["ended"]
        return "say", response
    if index == 6:
        if s.get("ended"):  # the scripted customer hung up: the desk shows the phone
            return "phone", _api(desk, "GET", "/phone")
        return "hangup", _api(desk, "POST", f"/calls/{s.get('call', 0)}/hangup")
    if index == 7:
        body = {"code": "INFO", "note": "Appel de suivi."}
        return "qualify", _api(desk, "POST", f"/contacts/{s.get('contact', 0)}/qualify", json=body)
    if index == 8:
        body = {"channel": "chat", "party": s["client"]["name"], "body": "Bonjour, une question ?"}
        response = desk.trainer.post(
            f"{desk.base}/api/v1/attempts/{s['attempt']}/messages", json=body, timeout=30
        )
        if response.status_code == 201:
            s["conversation"] = response.json()["conversation"]["id"]
        return "customer_writes", response
    if index == 9:
        body = {"body": "Bonjour, merci pour votre message : nous revenons vers vous."}
        return "reply", _api(desk, "POST", f"/conversations/{s['conversation']}/reply", json=body)
    body = {"code": "INFO", "note": "Réponse envoyée."}
    path = f"/conversations/{s['conversation']}/qualify"
    return "close_chat", _api(desk, "POST", path, json=body)


def bare_step(desk: Desk) -> tuple[str, requests.Response]:
    """The bare app's only request: one chained row in the desk's room."""
    body = f"action {desk.step}"
    desk.step += 1
    return "work", desk.http.post(f"{desk.base}/work/{desk.state['room']}", data=body, timeout=30)


def drive(desks: list[Desk], step, seconds: float) -> tuple[list[Sample], float]:
    """Each desk sends one request a second for `seconds` (late ones go at once, to catch up);
    every answer is waited for. The samples, and the seconds until the last answer."""
    samples: list[Sample] = []
    lock = threading.Lock()
    start = time.monotonic() + 1.0

    def run(desk: Desk) -> None:
        mine = []
        at = start + random.random()
        while at < start + seconds:
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent = time.monotonic()
            try:
                name, response = step(desk)
                status = response.status_code
            except requests.RequestException:
                name, status = "?", 0
            mine.append(Sample(sent, time.monotonic() - sent, status, name))
            at += 1.0
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=run, args=(d,)) for d in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.monotonic() - start


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values, 0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def report(label: str, n: int, seconds: float, samples, pushes, cpu: float) -> dict:
    """Print one [bench] line and return its figures (errors: no answer or 5xx; refusals:
    4xx, which the round is written to avoid)."""
    ms = [s.seconds * 1000 for s in samples]
    errors = [s for s in samples if s.status == 0 or s.status >= 500]
    refusals = [s for s in samples if 400 <= s.status < 500]
    kinds: dict[str, int] = {}
    for s in errors + refusals:
        key = f"{s.step}:{s.status}"
        kinds[key] = kinds.get(key, 0) + 1
    push_ms = [p * 1000 for p in pushes]
    figures = {
        "offered": n,
        "throughput": len(samples) / seconds,
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "errors": len(errors),
        "pushes": len(pushes),
        "push_p50": percentile(push_ms, 50),
        "push_p99": percentile(push_ms, 99),
        "cpu": cpu / seconds * 100,
    }
    print(
        f"[bench] {label:22} N={n:3}: {figures['throughput']:6.1f} req/s (offered {n}), "
        f"p50 {figures['p50']:6.0f} ms, p95 {figures['p95']:6.0f} ms, "
        f"p99 {figures['p99']:6.0f} ms, errors {len(errors)}, refusals {len(refusals)}"
        f"{' ' + str(kinds) if kinds else ''}, pushes {len(pushes)} "
        f"(p50 {figures['push_p50']:.0f} ms, p99 {figures['push_p99']:.0f} ms), "
        f"server CPU {figures['cpu']:.0f}% of a core",
        flush=True,
    )
    return figures


def run_levels(label: str, server: Server, desks: list[Desk], step) -> None:
    """Drive each level with the first N desks; print its line."""
    for n in LEVELS:
        room = desks[:n]
        for desk in room:
            desk.pushes.clear()
        cpu_before = server.cpu_seconds()
        samples, elapsed = drive(room, step, SECONDS)
        cpu = server.cpu_seconds() - cpu_before
        time.sleep(0.5)  # the last pushes
        pushes = [p for desk in room for p in desk.pushes]
        report(label, n, elapsed, samples, pushes, cpu)


def close_all(desks: list[Desk]) -> None:
    """Disconnect every desk (at once: each waits for its connection's threads)."""
    with ThreadPoolExecutor(32) as pool:
        list(pool.map(Desk.close, desks))


def bench_backend(name: str, database_url: str, bare_url: str, workers: int, queue: str) -> None:
    """Plateau then the bare ceiling, on one backend, for every level."""
    size = max(LEVELS)
    pairs = seed_room(database_url, size)
    # A channel of our own: other servers on the same Redis must not hear this room.
    channel = f"plateau-bench-{uuid.uuid4().hex}"
    env = {
        "DATABASE_URL": database_url,
        "SOCKETIO_MESSAGE_QUEUE": queue,
        "SOCKETIO_CHANNEL": channel,
    }
    command = [sys.executable, "-c", "from crm.cli import main; main()", "serve", *SERVE_ARGS]
    server = Server([*command, "--workers", str(workers)] if workers > 1 else command, env)
    desks: list[Desk] = []
    try:
        server.wait_ready("/login")
        trainer = requests.Session()
        token = _ok(
            lambda: trainer.post(
                server.url + "/api/v1/auth/token",
                json={"username": "bench-trainer", "password": PASSWORD},
                timeout=30,
            ),
            "trainer token",
        )["token"]
        trainer.headers["Authorization"] = f"Bearer {token}"
        with ThreadPoolExecutor(4) as pool:
            desks = list(pool.map(lambda p: open_desk(server.url, p[0], p[1], trainer), pairs))
        run_levels(f"{name} plateau", server, desks, plateau_step)
    finally:
        close_all(desks)
        server.stop()
    bare_args = [sys.executable, str(Path(__file__).with_name("room_bare.py"))]
    # The bare app is served by the measured checkout's server (crm.serving).
    bare = Server([*bare_args, "--database", bare_url, "--workers", str(workers)], env)
    desks = []
    try:
        bare.wait_ready("/work")
        for room in range(1, size + 1):
            desk = Desk(bare.url, state={"room": room})
            desk.connect_socket("/desk", None, {"room": room})
            desks.append(desk)
        run_levels(f"{name} bare", bare, desks, bare_step)
    finally:
        close_all(desks)
        bare.stop()


@pytest.mark.skipif("sqlite" not in BACKENDS, reason="PLATEAU_BENCH_BACKENDS")
def test_room_sqlite_one_process(tmp_path):
    """SQLite, one server process."""
    bench_backend(
        "sqlite×1",
        f"sqlite:///{tmp_path}/room.db",
        f"sqlite:///{tmp_path}/bare.db",
        1,
        "",
    )


@pytest.mark.skipif("postgres" not in BACKENDS, reason="PLATEAU_BENCH_BACKENDS")
def test_room_postgres_redis_processes():
    """PostgreSQL + Redis, PLATEAU_BENCH_WORKERS processes."""
    from tests.conftest import postgres_database

    url = postgres_database("plateau_bench_room", fresh=True)
    bare = postgres_database("plateau_bench_bare", fresh=True)
    bench_backend(f"postgres×{PG_WORKERS}", url, bare, PG_WORKERS, REDIS_URL)
