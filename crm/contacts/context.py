"""The candidate's working context on pages: their attempt, their Ctx and the open contact."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from crm.actionlog.services import Ctx
from crm.boundary.integers import is_db_id
from crm.contacts.models import Contact
from crm.db import db
from crm.training.locking import lock_for_write
from crm.training.models import Attempt
from crm.training.services import current_attempt


def open_contact(attempt_id: int) -> Contact | None:
    """The attempt's contact not yet qualified (there is at most one), if any."""
    return db.session.scalar(
        sa.select(Contact)
        .where(
            Contact.attempt_id == attempt_id,
            Contact.qualified_at.is_(None),
            Contact.historical.is_(False),
        )
        .order_by(Contact.id.desc())
        .limit(1)
    )


def page_attempt() -> Attempt | None:
    """The logged-in candidate's current attempt (None when their shift is not running)."""
    return current_attempt(current_user)


def page_ctx() -> Ctx:
    """The logged-in candidate's Ctx with the open contact as interaction; 404 without attempt."""
    attempt = page_attempt()
    if attempt is None:
        abort(404)
    lock_for_write(attempt.id)
    contact = open_contact(attempt.id)
    return Ctx(
        attempt, current_user.id, current_user.role, ("contact", contact.id) if contact else None
    )


def in_world(model, object_id: int, ctx: Ctx):
    """A world row of the candidate's attempt, or 404 (absent or another attempt's)."""
    row = db.session.get(model, object_id) if is_db_id(object_id) else None
    if row is None or row.attempt_id != ctx.attempt.id:
        abort(404)
    return row


def inject_open_contact() -> dict:
    """Template context: the open contact for the banner, only for logged-in candidates."""
    if not current_user.is_authenticated or current_user.role != "candidate":
        return {}
    attempt = current_attempt(current_user)
    if attempt is None:
        return {}
    return {"open_contact": open_contact(attempt.id)}
