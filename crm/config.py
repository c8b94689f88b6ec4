"""Configuration classes; `create_app` picks one and a mapping may override it."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository root: templates, static files and seed data live beside the packages.
ROOT = Path(__file__).resolve().parent.parent


class Config:
    """Defaults for every environment; the environment overrides what deployments change."""

    #: Session-signing key; empty: the installation's own, generated into instance/secret_key.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")  # empty: instance/plateau.db
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    #: The message queue's channel: installations (or test runs) sharing one Redis differ here.
    SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "flask-socketio")
    SCENARIO_DIR = str(ROOT / "seed_data" / "scenarios")
    #: Packs trainers upload (`plateau scenario load`, the library page); empty: instance/scenarios.
    PACK_DIR = os.environ.get("PACK_DIR", "")
    #: Largest scenario pack accepted as an upload, in bytes.
    PACK_MAX_BYTES = int(os.environ.get("PACK_MAX_BYTES", 4 * 1024 * 1024))
    STANDARDS_DIR = str(ROOT / "seed_data" / "standards")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: "auto": cookies are Secure when the request came over HTTPS; or "true" / "false".
    SESSION_COOKIE_SECURE = {"true": True, "false": False}.get(
        os.environ.get("SESSION_COOKIE_SECURE", "auto").lower(), "auto"
    )
    REMEMBER_COOKIE_HTTPONLY = True
    #: Login throttling (crm.auth.throttle): failed logins allowed per client address and per
    #: account name within a sliding window; the account limit stays above the address limit.
    LOGIN_THROTTLE_WINDOW_SECONDS = int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", 900))
    LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("LOGIN_ADDRESS_MAX_FAILURES", 10))
    LOGIN_ACCOUNT_MAX_FAILURES = int(os.environ.get("LOGIN_ACCOUNT_MAX_FAILURES", 20))
    #: Number of trusted reverse proxies in front of the app (0: clients connect directly).
    PROXY_FIX_X_FOR = int(os.environ.get("PROXY_FIX_X_FOR", 0))
    #: Lifetime of an API bearer token.
    API_TOKEN_TTL_HOURS = float(os.environ.get("API_TOKEN_TTL_HOURS", 12))
    API_PAGE_MAX = 200
    #: Seconds a request waits for a database lock (SQLite's write lock, a PostgreSQL row
    #: lock) before it answers 503; the seconds it then tells the client to wait (Retry-After).
    DB_LOCK_TIMEOUT = float(os.environ.get("DB_LOCK_TIMEOUT", "5"))
    BUSY_RETRY_AFTER = 1
    #: Largest request body in bytes (the pages' forms; no page takes an upload): a larger one
    #: is refused with 413 before it is read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024))
    #: Largest JSON body the API accepts, in bytes (413 beyond, unread).
    API_MAX_JSON_BYTES = int(os.environ.get("API_MAX_JSON_BYTES", 256 * 1024))
    #: After a shift ends, how long its candidates may still send their memo and self-assessment.
    END_OF_SHIFT_GRACE_MINUTES = int(os.environ.get("END_OF_SHIFT_GRACE_MINUTES", 120))
    #: Retention periods in days (crm.retention explains the defaults): attempts with their
    #: world and action log; evaluation grids (memo, self-assessment, evaluator's grades).
    RETENTION_ATTEMPTS_DAYS = int(os.environ.get("RETENTION_ATTEMPTS_DAYS", 365))
    RETENTION_GRIDS_DAYS = int(os.environ.get("RETENTION_GRIDS_DAYS", 365))
    #: Recordings of voiced calls (softphone.voice): days they are kept after the call (the
    #: CNIL's six months for call recordings made for training), where they are stored
    #: (empty: recordings/ in the instance folder) and the largest upload in bytes.
    RETENTION_RECORDINGS_DAYS = int(os.environ.get("RETENTION_RECORDINGS_DAYS", 183))
    RECORDINGS_DIR = os.environ.get("RECORDINGS_DIR", "")
    RECORDING_MAX_BYTES = int(os.environ.get("RECORDING_MAX_BYTES", 50 * 1024 * 1024))
    #: WebRTC ICE servers handed to the browsers, as JSON (RTCIceServer objects, e.g.
    #: `[{"urls": "stun:stun.example.org"}]`); empty: host candidates only, enough on a LAN.
    ICE_SERVERS = os.environ.get("ICE_SERVERS", "[]")
    JSON_SORT_KEYS = False
    #: The trainer's room: a candidate is flagged idle after this many minutes without an
    #: action while the shift runs; a customer on hold is flagged waiting after this many
    #: seconds, a ringing phone after ROOM_RING_ALERT_SECONDS.
    ROOM_IDLE_MINUTES = int(os.environ.get("ROOM_IDLE_MINUTES", 3))
    ROOM_HOLD_ALERT_SECONDS = int(os.environ.get("ROOM_HOLD_ALERT_SECONDS", 60))
    ROOM_RING_ALERT_SECONDS = int(os.environ.get("ROOM_RING_ALERT_SECONDS", 15))
    #: xAPI export: the installation's public base URL (actor account homePage, activity ids).
    XAPI_BASE_URL = os.environ.get("XAPI_BASE_URL", "https://plateau.example")
    #: The LRS that receives pushed statements (its xAPI root, e.g. http://lrs:8100/xAPI/);
    #: empty: pushing is refused. Basic auth key and secret, the version header, batch size.
    XAPI_LRS_ENDPOINT = os.environ.get("XAPI_LRS_ENDPOINT", "")
    XAPI_LRS_KEY = os.environ.get("XAPI_LRS_KEY", "")
    XAPI_LRS_SECRET = os.environ.get("XAPI_LRS_SECRET", "")
    XAPI_VERSION = "1.0.3"
    XAPI_BATCH_SIZE = int(os.environ.get("XAPI_BATCH_SIZE", "100"))
    XAPI_TIMEOUT = float(os.environ.get("XAPI_TIMEOUT", "10"))


class DevelopmentConfig(Config):
    """The embedded demo: one process, SQLite in instance/."""


class TestingConfig(Config):
    """Tests: in-memory SQLite unless a URL is given, CSRF on (tests send the token)."""

    TESTING = True
    #: A stable key of the tests' own: tests never read or create instance/secret_key.
    SECRET_KEY = "plateau-tests-only-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Argon2 at full cost would make the suite slow; the algorithm stays the same.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 32  # argon2-cffi's minimum for its default parallelism (4)


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig}
