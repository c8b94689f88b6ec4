"""People: users with a role, their hashed API tokens, and failed logins (for throttling)."""

from __future__ import annotations

import enum
import hmac
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import clock
from crm.db import UTCDateTime, db


class Role(enum.StrEnum):
    """The three kinds of people Plateau serves."""

    CANDIDATE = "candidate"
    TRAINER = "trainer"
    EVALUATOR = "evaluator"


def new_session_token() -> str:
    """A fresh, unguessable session generation."""
    return secrets.token_hex(32)


class User(UserMixin, db.Model):
    """Someone who logs in: a candidate, a trainer or an evaluator."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[str] = mapped_column(sa.String(16))
    #: Argon2id hash; the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    #: False while the account is locked: no login (locking ended its sessions and revoked its
    #: tokens; a token somehow issued since is refused too).
    active: Mapped[bool] = mapped_column(default=True)
    #: The generation of this person's sessions, signed into each session cookie; replaced on
    #: logout, password change and lock, which ends every session opened before.
    session_token: Mapped[str] = mapped_column(
        sa.String(64), default=new_session_token, server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete")

    __table_args__ = (
        sa.CheckConstraint("role in ('candidate', 'trainer', 'evaluator')", name="role"),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: what the session cookie names
        return f"{self.id}:{self.session_token}"

    def holds_session(self, session_token: str) -> bool:
        """Whether a session of this generation may still act as this user."""
        return self.active and hmac.compare_digest(self.session_token, session_token)

    def end_sessions(self) -> None:
        """Start a new session generation: every session cookie issued before stops working."""
        self.session_token = new_session_token()

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: The token is refused from this instant (API_TOKEN_TTL_HOURS after its creation).
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class LoginFailure(db.Model):
    """One failed login, counted against the client address and the account name it named.

    Only SHA-256 digests of the address and of the typed name are kept: a password typed in the
    username field never lands in the database. Rows older than the throttling window are
    deleted as new failures arrive.
    """

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sha256("address:" + client address) or sha256("account:" + lower-cased username).
    key: Mapped[str] = mapped_column(sa.String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)

    __table_args__ = (sa.Index("ix_login_failure_key_failed_at", "key", "failed_at"),)
