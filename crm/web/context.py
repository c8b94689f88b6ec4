"""The candidate's working context, one for pages and the JSON API.

`candidate_ctx()` is the Ctx every service receives (the attempt locked first, the open
contact as the interaction in progress); `report_ctx()` the one of the end-of-shift report;
`in_attempt()` the one loader of a world row by id; `open_interaction()` the open contact
(`crm.contacts.services.find_open_contact`) as the interaction in progress. Each raises
`NotFound` (404): the API kit answers it in JSON, pages with their 404 page (`crm.pages`).
"""

from __future__ import annotations

from flask import g
from flask_login import current_user

from crm.actionlog.services import Ctx, check_attempt
from crm.boundary.integers import is_db_id
from crm.contacts.services import find_open_contact
from crm.db import db
from crm.errors import NotFound
from crm.evaluation.candidate_report import closing_attempt
from crm.i18n import _
from crm.training.locking import writes
from crm.training.models import Attempt
from crm.training.services import current_attempt


def acting_user():
    """Who calls: the API's authenticated user (bearer or session), else the page's user."""
    user = g.get("api_user")
    return user if user is not None else current_user._get_current_object()


def open_interaction(attempt_id: int) -> tuple[str, int] | None:
    """The open contact as the interaction in progress, `("contact", id)`, if any."""
    contact = find_open_contact(attempt_id)
    return ("contact", contact.id) if contact is not None else None


def candidate_attempt() -> Attempt | None:
    """The calling candidate's current attempt (None when their shift is not running)."""
    user = acting_user()
    return current_attempt(user) if user.is_authenticated else None


def candidate_ctx() -> Ctx:
    """The calling candidate's Ctx in their current attempt; NotFound when none runs.

    A request that may write locks the attempt before anything of its world is read
    (crm.training.locking), in the statement that finds it."""
    user = acting_user()
    attempt = current_attempt(user, lock=writes()) if user.is_authenticated else None
    if attempt is None:
        raise NotFound(
            "Aucune tentative en cours : votre séance n'a pas démarré.", code="no_attempt"
        )
    return Ctx(attempt, user.id, user.role, open_interaction(attempt.id))


def report_ctx() -> Ctx:
    """The calling candidate's Ctx in the attempt they report on at the end of their shift (the
    current one, or one of a shift just ended); NotFound when there is none."""
    user = acting_user()
    attempt = closing_attempt(user)
    if attempt is None:
        raise NotFound(
            _("Aucune séance en cours ou tout juste terminée : pas de bilan à rédiger."),
            code="no_attempt",
        )
    return Ctx(attempt, user.id, user.role)


def in_attempt(model, object_id, ctx: Ctx, *, label: str | None = None, options=None):
    """A world row of the caller's attempt by id; NotFound if absent or another attempt's.
    `options`: loader options of the row's read (its collections read with it)."""
    row = db.session.get(model, object_id, options=options) if is_db_id(object_id) else None
    if row is None:
        raise NotFound(f"{label} introuvable." if label else _("Objet introuvable."))
    check_attempt(ctx, row, label=label)
    return row


def inject_open_contact() -> dict:
    """Template context: the open contact for the banner, only for logged-in candidates."""
    if not current_user.is_authenticated or current_user.role != "candidate":
        return {}
    attempt = current_attempt(current_user)
    if attempt is None:
        return {}
    return {"open_contact": find_open_contact(attempt.id)}
