"""Login throttling: failed logins counted per client address and per account name.

A sliding window (LOGIN_THROTTLE_WINDOW_SECONDS) over the `login_failure` table, so that every
server process sees the same counts. An address that failed LOGIN_ADDRESS_MAX_FAILURES times in
the window, or an account name that failed LOGIN_ACCOUNT_MAX_FAILURES times, waits until its
oldest counted failure leaves the window. Names are counted whether or not such an account
exists, so the answers never tell which usernames are real. The account limit is above the
address limit: one address spraying guesses is stopped before it can throttle someone else's
account, while guesses spread over many addresses still meet the account limit.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, request

from crm.auth.models import LoginFailure
from crm.db import db


def client_address() -> str:
    """The client's address as this server sees it (behind a proxy: see PROXY_FIX_X_FOR)."""
    return request.remote_addr or "unknown"


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _limits(address: str, username: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [
        (_key("address", address), config["LOGIN_ADDRESS_MAX_FAILURES"]),
        (_key("account", username), config["LOGIN_ACCOUNT_MAX_FAILURES"]),
    ]


def _window() -> timedelta:
    return timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])


def login_wait(address: str, username: str, now: datetime) -> int | None:
    """Seconds before this address may try this account name again, or None (reads only)."""
    window = _window()
    waits = []
    for key, limit in _limits(address, username):
        recent = db.session.scalars(
            sa.select(LoginFailure.failed_at)
            .where(LoginFailure.key == key, LoginFailure.failed_at > now - window)
            .order_by(LoginFailure.failed_at.desc())
            .limit(limit)
        ).all()
        if len(recent) >= limit:
            # Below the limit again once the limit-th latest failure leaves the window.
            waits.append(max(1, math.ceil((recent[-1] + window - now).total_seconds())))
    return max(waits) if waits else None


def record_login_failure(address: str, username: str, now: datetime) -> None:
    """Count a failed login against the address and the name; forget failures out of window."""
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.failed_at <= now - _window()))
    for key, _limit in _limits(address, username):
        db.session.add(LoginFailure(key=key, failed_at=now))
    db.session.flush()
