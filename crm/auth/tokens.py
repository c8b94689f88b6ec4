"""API bearer tokens: issued for API_TOKEN_TTL_HOURS, revocable, revoked by a lock or a new
password, refused while the account is locked.

Only a token's SHA-256 is stored. Checking a token only reads: nothing is written on use, so
bearer calls that only read never contend for the database's write lock.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from crm import clock
from crm.auth.models import ApiToken, User
from crm.db import db


@dataclass(frozen=True)
class IssuedToken:
    """A new token, shown once, and when it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenCheck:
    """The user and token row a bearer token stands for, or why it is refused."""

    user: User | None
    token_id: int | None = None
    error: str | None = None  # "invalid" (unknown, revoked, account locked) or "expired"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> IssuedToken:
    """Create a token for `user` (and drop the user's expired ones); flushes, never commits."""
    now = clock.now()
    db.session.execute(
        sa.delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at <= now)
    )
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=expires_at))
    db.session.flush()
    return IssuedToken(token, expires_at)


#: Every API request runs it: built once (crm/db.py: hot statements).
_TOKEN_AND_USER = (
    sa.select(ApiToken.id, ApiToken.expires_at, User)
    .join(User, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == sa.bindparam("token_hash"))
)


def check_token(token: str) -> TokenCheck:
    """Who a bearer token authenticates now; reads only, in one statement (token and user)."""
    row = db.session.execute(_TOKEN_AND_USER, {"token_hash": _digest(token)}).first()
    if row is None or not row.User.active:
        return TokenCheck(None, error="invalid")
    if row.expires_at <= clock.now():
        return TokenCheck(None, error="expired")
    return TokenCheck(row.User, row.id)


def revoke_token(token_id: int) -> None:
    """Delete one token: it stops working at once (flushes, never commits)."""
    db.session.execute(sa.delete(ApiToken).where(ApiToken.id == token_id))
    db.session.flush()


def revoke_all_tokens(user: User) -> None:
    """Delete every token of `user` (flushes, never commits)."""
    db.session.execute(sa.delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.flush()
