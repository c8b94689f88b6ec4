"""Users, passwords (Argon2id), login throttling per account and API bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from crm.auth.models import ApiToken, Role, User
from crm.db import db, utcnow


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
    """Outcome of a login attempt: the user, or why not."""

    user: User | None
    error: str | None = None  # "bad_credentials" or "locked"


def authenticate(username: str, password: str) -> LoginResult:
    """Check credentials, counting failures per account and locking it after too many."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    now = utcnow()
    if user is None or not user.active:
        # Spend the same time as a real check so usernames cannot be probed by timing.
        _hasher().hash(password or "x")
        return LoginResult(None, "bad_credentials")
    if user.locked_until and user.locked_until > now:
        return LoginResult(None, "locked")
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        db.session.flush()
        return LoginResult(None, "bad_credentials")
    user.failed_logins = 0
    user.locked_until = None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    db.session.flush()
    return LoginResult(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """Create an API token; only its SHA-256 is stored, the token is returned once."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token)))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """The active user owning a bearer token, or None."""
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None or not row.user.active:
        return None
    return row.user
