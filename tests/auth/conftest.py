"""Fixtures of the session and token tests."""

from __future__ import annotations

import pytest
from flask import g


@pytest.fixture(autouse=True)
def user_loaded_per_request(app):
    """Load each request's user from that request's own cookie or token.

    The tests run inside one application context, which Flask reuses for every request: without
    this, the user Flask-Login cached on `g` for one client's request would answer the next
    request of another client, hiding what a replayed or ended session really gets.
    """

    @app.before_request
    def _forget_cached_user():
        g.pop("_login_user", None)
