"""One application per test process, reused by every test that leaves it as it found it.

Building an app (`create_app`: some forty blueprints, about a thousand URL rules parsed, the
extensions wired) costs tens of milliseconds, and a fresh app also starts cold: its engine has
compiled no SQL statement yet and its Jinja environment no template. Most tests only read the
app's configuration and use its database, which the `app` fixture resets before each test (the
empty schema copied in, tests/seeded.py; on PostgreSQL, the test's transaction rolled back). So
the fixture takes its app from here: built once, handed to the next test as long as the last one
left it as built.

A test may still change its app (`app.config[...] = …`, a route or a hook added for the test,
an extension removed): after each test the app's *shape* (configuration, routes, hooks,
extensions, template globals, engine and its listeners) is compared with the one it had when
built, and an app that differs, or whose database connection was left inside a transaction, is
dropped; the next test builds a new one, exactly as every test did before. Set
PLATEAU_TEST_FRESH_APP=1 to build a new app for every test (to rule the reuse out when
a failure looks order-dependent).

Process-wide state `create_app` sets is put back on reuse too: Flask-SocketIO's extension object
is shared by every app, and the last app built (a test's own `create_app`, a seeded template's
builder) makes its server the one `socketio.emit` pushes through.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping

from flask import Flask

from crm.extensions import db, socketio
from tests.seeded import MARK

#: Build a new app for every test, as before the reuse (any non-empty value but 0).
FRESH = os.environ.get("PLATEAU_TEST_FRESH_APP", "") not in ("", "0")

#: The per-test configuration keys, set again before each test (not part of the shape).
PER_TEST = ("PACK_DIR",)

#: Flask's lists and mappings of hooks a test could add to.
HOOKS = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "teardown_appcontext_funcs",
    "template_context_processors",
    "url_value_preprocessors",
    "url_default_functions",
    "error_handler_spec",
    "shell_context_processors",
)

#: Engine events through which tests watch the SQL sent (they remove their listeners).
ENGINE_EVENTS = (
    "before_cursor_execute",
    "after_cursor_execute",
    "before_execute",
    "after_execute",
    "begin",
    "commit",
    "rollback",
)


def _identities(value) -> object:
    """A hashable summary of a hook structure: nested mappings and lists down to the ids of
    the functions they hold. Empty entries are left out: Flask's error handler mappings are
    defaultdicts, which looking up a status code fills with empty ones."""
    if isinstance(value, Mapping):
        entries = ((repr(k), _identities(v)) for k, v in value.items())
        return tuple(sorted(entry for entry in entries if entry[1] != ()))
    if isinstance(value, list | tuple):
        return tuple(_identities(v) for v in value)
    return id(value)


def shape(app: Flask) -> tuple:
    """What a test must leave as it found it for `app` to serve the next test (besides the
    configuration, compared on its own, and the seeded copy's mark, set again by the next
    test). Read inside the app's context."""
    engine = db.engines[None]
    return (
        tuple(sorted(app.view_functions)),
        len(app.url_map._rules),
        tuple(app.blueprints),
        tuple(_identities(getattr(app, name)) for name in HOOKS),
        tuple(sorted((name, id(ext)) for name, ext in app.extensions.items() if name != MARK)),
        tuple(sorted((name, id(v)) for name, v in app.jinja_env.globals.items())),
        tuple(sorted((name, id(v)) for name, v in app.jinja_env.filters.items())),
        id(app.wsgi_app),
        id(app.session_interface),
        app.request_class,
        app.response_class,
        id(engine),
        tuple(len(getattr(engine.dispatch, name)) for name in ENGINE_EVENTS),
    )


class ReusedApp:
    """The process's reusable app, its configuration and shape as built, and the state of the
    process-wide extensions its build left."""

    def __init__(self, build: Callable[[], Flask]):
        self.build = build
        self.app: Flask | None = None
        self.config: dict = {}
        self.shape: tuple = ()
        self.socketio: dict = {}

    def take(self, per_test: Mapping) -> Flask:
        """The app for the next test, with its per-test configuration (`PER_TEST` keys)."""
        if self.app is None or FRESH:
            self._new()
        app = self.app
        if socketio.__dict__.get("server") is not self.socketio["server"]:
            # Another app was built since: pushes go through this app's Socket.IO server again.
            socketio.__dict__.clear()
            socketio.__dict__.update(self.socketio, server_options=dict(self.socketio_options))
        # A fresh app has served no request yet: the test may still add a route or a hook.
        app._got_first_request = False
        app.config.update(per_test)
        return app

    def _new(self) -> None:
        self.app = self.build()
        self.config = copy.deepcopy({k: v for k, v in self.app.config.items() if k not in PER_TEST})
        self.socketio = dict(socketio.__dict__)
        self.socketio_options = dict(socketio.server_options)
        with self.app.app_context():
            self.shape = shape(self.app)

    def give_back(self, in_transaction: bool) -> bool:
        """After a test, within the app's context: keep the app for the next test if the test
        left it as built (and its connection outside a transaction); otherwise drop it (the
        caller disposes of its engine). Whether it is kept."""
        app = self.app
        kept = (
            not FRESH
            and not in_transaction
            # A Socket.IO client still connected would stay in the rooms it joined.
            and not self.socketio["server"].environ
            and {k: v for k, v in app.config.items() if k not in PER_TEST} == self.config
            and shape(app) == self.shape
        )
        if not kept:
            self.app = None
        return kept
