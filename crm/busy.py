"""Contention is never a 500: a lock not had in time answers 503 with Retry-After.

`crm.db` bounds every lock wait (`DB_LOCK_TIMEOUT`): SQLite's write lock raises `DatabaseBusy`,
PostgreSQL's `lock_timeout` a lock-not-available error; a deadlock or a serialisation failure
is the same kind of refusal. The request's transaction is rolled back whole (nothing written)
and the person is asked to retry: the registered 503 page on screens, JSON on the API.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, make_response
from werkzeug.exceptions import ServiceUnavailable

from crm.db import DatabaseBusy, db

#: SQLSTATEs of PostgreSQL's lock refusals: lock not available, deadlock, serialisation failure.
PG_CONTENTION = {"55P03", "40P01", "40001"}


def is_contention(error: sa.exc.OperationalError) -> bool:
    """Whether a database error says a lock could not be had (not that something is broken)."""
    orig = error.orig
    if getattr(orig, "sqlstate", None) in PG_CONTENTION:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def busy_response(error: Exception):
    """Roll the request back and answer 503 (page or JSON) with Retry-After."""
    if isinstance(error, sa.exc.OperationalError) and not is_contention(error):
        raise error
    db.session.rollback()
    retry_after = current_app.config["BUSY_RETRY_AFTER"]
    response = make_response(current_app.handle_http_exception(ServiceUnavailable()))
    response.headers["Retry-After"] = str(retry_after)
    return response


def init_app(app) -> None:
    """Turn lock time-outs into 503 answers everywhere."""
    app.register_error_handler(DatabaseBusy, busy_response)
    app.register_error_handler(sa.exc.OperationalError, busy_response)
