"""Users, passwords (Argon2id), logins (throttled), sessions and account locks."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from crm import clock
from crm.auth.models import Role, User
from crm.auth.throttle import login_wait, record_login_failure
from crm.auth.tokens import revoke_all_tokens
from crm.db import db


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


def hash_password(password: str) -> str:
    """Argon2id hash of a password."""
    return _hasher().hash(password)


def create_user(username: str, password: str, role: str, display_name: str = "") -> User:
    """Create a user with a hashed password (flushes, does not commit)."""
    if role not in {r.value for r in Role}:
        raise ValueError(f"unknown role {role!r}")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    user = User(
        username=username.strip().lower(),
        display_name=display_name or username,
        role=role,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a login attempt: the user, or why not (and for how long, when throttled)."""

    user: User | None
    error: str | None = None  # "bad_credentials" or "throttled"
    retry_after: int | None = None  # seconds, when throttled


def authenticate(username: str, password: str, address: str) -> LoginResult:
    """Check credentials from a client address, throttled per address and per account name.

    An unknown name, a locked account and a wrong password answer alike, so the answers never
    tell which usernames exist.
    """
    name = username.strip().lower()
    now = clock.now()
    wait = login_wait(address, name, now)
    if wait is not None:
        return LoginResult(None, "throttled", wait)
    user = db.session.scalar(sa.select(User).where(User.username == name))
    try:
        if user is None or not user.active:
            # Spend the same time as a real check so usernames cannot be probed by timing.
            _hasher().hash(password or "x")
            raise VerificationError
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        record_login_failure(address, name, now)
        return LoginResult(None, "bad_credentials")
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return LoginResult(user)


def user_for_session(user_id: str) -> User | None:
    """The user a session cookie names (`id:session_token`), if that session is still open."""
    number, _, session_token = user_id.partition(":")
    if not number.isdigit() or not session_token:
        return None
    user = db.session.get(User, int(number))
    return user if user is not None and user.holds_session(session_token) else None


def log_out(user: User) -> None:
    """End the person's sessions server-side: a copy of the cookie no longer authenticates."""
    user.end_sessions()
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Change a password: every session and API token of the account stops working."""
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    user.password_hash = hash_password(password)
    user.end_sessions()
    revoke_all_tokens(user)
    db.session.flush()


def lock_user(user: User) -> None:
    """Lock an account: no login; its sessions end and its API tokens are revoked.

    Both in the lock's own transaction, as a password change does: refusing them while the
    account is locked is not enough, since unlocking would bring them back.
    """
    user.active = False
    user.end_sessions()
    revoke_all_tokens(user)
    db.session.flush()


def unlock_user(user: User) -> None:
    """Unlock an account: its owner may log in again (what the lock ended stays ended: a new
    session, a new token)."""
    user.active = True
    db.session.flush()
