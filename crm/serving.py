"""The production server behind `plateau serve`: gunicorn, threaded workers, WebSocket.

Flask-SocketIO runs in threading mode (no monkey patching: SQLite and psycopg block in C, which
a green event loop would not see) under gunicorn's `gthread` worker; simple-websocket takes the
WebSocket over from gunicorn's socket. A WebSocket holds one worker thread for its life, so a
worker has enough threads for every desk of a room plus the requests in flight.

Each worker process builds its own app (`app_factory`) after the fork: engines, pools and the
Redis client are never shared across processes. `started(app)` runs in each worker once it is
ready (the scenario clock), `stopping(app)` when it is told to stop.

Graceful stop: on SIGTERM, gunicorn stops accepting, each worker closes its Socket.IO
connections (they would otherwise count as requests in flight until the grace period ends),
runs `stopping` (the clock finishes its beat and stops), lets the HTTP requests in flight
finish (every transaction commits or rolls back whole) and exits; the master exits 0.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker
from werkzeug.wsgi import ClosingIterator

log = logging.getLogger(__name__)

#: Seconds a stopping worker gives its requests in flight before it is killed.
GRACEFUL_TIMEOUT = 20


@dataclass(frozen=True)
class ServeOptions:
    """Where and how to serve."""

    host: str = "127.0.0.1"
    port: int = 5000
    #: Processes (more than one needs a server database and a Socket.IO message queue).
    workers: int = 1
    #: Threads per process: one per open WebSocket, plus the requests being answered.
    threads: int = 400
    #: HTTP requests a process works on at once (the others wait their turn, holding nothing).
    concurrency: int = 8
    graceful_timeout: int = GRACEFUL_TIMEOUT


@dataclass
class _Hooks:
    """What the worker class calls (gunicorn instantiates it, so it reads them from here)."""

    started: Callable[[Flask], None] | None = None
    stopping: Callable[[Flask], None] | None = None


_hooks = _Hooks()


def close_socket_connections(app: Flask) -> None:
    """Disconnect every Socket.IO client of this process (they reconnect to another one)."""
    socketio = app.extensions.get("socketio")
    if socketio is None or socketio.server is None:
        return
    try:
        socketio.server.eio.disconnect()
    except Exception:  # the process is stopping anyway; a client left open only delays it
        log.exception("closing the Socket.IO connections failed")


class RequestLimit:
    """WSGI middleware: at most `limit` HTTP requests of this process run at once.

    Python runs one thread at a time: hundreds of requests running together share it in
    small slices, so each takes as long as all of them, and a writer holding SQLite's write
    lock is slowed down by every reader. Waiting here costs nothing (a blocked thread does not
    run). Socket.IO traffic (`/socket.io/`: WebSockets live as long as a desk) is not counted.
    """

    def __init__(self, wsgi_app, limit: int):
        self.wsgi_app = wsgi_app
        self.slots = threading.BoundedSemaphore(limit)

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/socket.io"):
            return self.wsgi_app(environ, start_response)
        self.slots.acquire()
        try:
            body = self.wsgi_app(environ, start_response)
        except BaseException:
            self.slots.release()
            raise
        # The slot is held until the body is sent (gunicorn closes the iterable then).
        return ClosingIterator(body, [self.slots.release])


class ServingWorker(ThreadWorker):
    """gunicorn's threaded worker, which closes its WebSockets and runs `stopping` on SIGTERM."""

    def handle_exit(self, sig, frame):
        """SIGTERM: stop accepting (gunicorn), then wind down in a thread (not in the handler)."""
        super().handle_exit(sig, frame)
        threading.Thread(target=self._wind_down, name="plateau-stopping", daemon=True).start()

    def _wind_down(self) -> None:
        app = self.wsgi
        close_socket_connections(app)
        if _hooks.stopping is not None:
            try:
                _hooks.stopping(app)
            except Exception:
                log.exception("stopping hook failed")


def _post_worker_init(worker) -> None:
    if _hooks.started is not None:
        _hooks.started(worker.wsgi)


class _Server(BaseApplication):
    """gunicorn configured from ServeOptions; each worker loads its own app."""

    def __init__(self, app_factory: Callable[[], Flask], options: ServeOptions):
        self.app_factory = app_factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        settings = {
            "bind": f"{self.options.host}:{self.options.port}",
            "workers": self.options.workers,
            "threads": self.options.threads,
            "worker_class": f"{__name__}.ServingWorker",
            "worker_connections": self.options.threads * 2,
            "graceful_timeout": self.options.graceful_timeout,
            # A WebSocket is a long request: the worker's heartbeat is what `timeout` watches.
            "timeout": 60,
            "keepalive": 5,
            "post_worker_init": _post_worker_init,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "plateau",
        }
        for key, value in settings.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        app = self.app_factory()
        app.wsgi_app = RequestLimit(app.wsgi_app, self.options.concurrency)
        return app


def serve_app(
    app_factory: Callable[[], Flask],
    options: ServeOptions,
    *,
    started: Callable[[Flask], None] | None = None,
    stopping: Callable[[Flask], None] | None = None,
) -> None:
    """Serve the app built by `app_factory` in each worker until SIGTERM/SIGINT; then return."""
    _hooks.started, _hooks.stopping = started, stopping
    _Server(app_factory, options).run()
