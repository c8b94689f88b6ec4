"""The composition root: `create_app` wires configuration, extensions, `crm` and `softphone`."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from crm import boundary
from crm.config import CONFIGS, ROOT
from crm.extensions import babel, csrf, db, login_manager, migrate, socketio
from crm.http_security import SessionInterface, harden, mark_cookies_secure
from crm.i18n import template_plural
from crm.secret_key import instance_secret_key

#: Packages whose `init_app(app)` registers blueprints, CLI commands and signal receivers.
PACKAGES = (
    "crm.pages",
    "crm.busy",
    "crm.auth",
    "crm.training",
    "crm.campaigns",
    "crm.surveys",
    "crm.clients",
    "crm.catalog",
    "crm.orders",
    "crm.payments",
    "crm.dunning",
    "crm.documents",
    "crm.contacts",
    "crm.claims",
    "crm.contracts",
    "crm.aftersales",
    "crm.knowledge",
    "crm.evaluation",
    "crm.bench",
    "crm.web",
    "crm.cli",
    "softphone",
)

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def select_locale() -> str:
    """French unless the person chose English (session) or the browser prefers it on login."""
    from flask import current_app

    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: str | Mapping | None = None) -> Flask:
    """Build the application; `config` is a config name or a mapping of overrides (tests)."""
    overrides = config if isinstance(config, Mapping) else {}
    app = Flask(
        __name__,
        instance_path=str(overrides.get("INSTANCE_PATH") or ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    name = config if isinstance(config, str) else "development"
    app.config.from_object(CONFIGS[name])
    if isinstance(config, Mapping):
        if config.get("TESTING"):
            app.config.from_object(CONFIGS["testing"])
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if app.config["PROXY_FIX_X_FOR"]:
        # Behind N trusted proxies: the client's address (login throttling) and scheme
        # (Secure cookies) come from their X-Forwarded-For / X-Forwarded-Proto headers.
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{app.instance_path}/plateau.db"

    import crm.models  # noqa: F401  (every table on the metadata)
    from crm.db import alembic_render_item, configure_engine

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["DB_LOCK_TIMEOUT"])
    migrate.init_app(
        app,
        db,
        directory=MIGRATIONS_DIR,
        render_as_batch=True,
        compare_type=True,
        render_item=alembic_render_item,
    )
    # Before CSRF protection (it reads the form) and before any blueprint (routes bind the
    # `int` converter when registered).
    boundary.init_app(app)
    csrf.init_app(app)
    # Registered before Flask-Login so that it runs after Flask-Login's own cookie hook
    # (after_request functions run last-registered first); the session cookie itself is
    # saved after every hook, by the session interface.
    app.session_interface = SessionInterface()
    app.after_request(mark_cookies_secure)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    # Templates' plurals follow the same rule as Python's (French: « 0 critère »).
    app.jinja_env.globals["ngettext"] = template_plural
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=app.config.get("SOCKETIO_ALLOWED_ORIGINS"),
    )

    for name in PACKAGES:
        importlib.import_module(name).init_app(app)

    @app.after_request
    def _security_headers(response):
        return harden(response)

    app.jinja_env.globals["current_lang"] = lambda: session.get("lang", "fr")
    app.jinja_env.globals["request"] = request
    return app
