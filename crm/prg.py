"""Post/Redirect/Get for every HTML form: a POST never leaves a page in the browser's history.

Views answer a successful POST with a redirect themselves. A POST they answer with a page (the
form again with its errors, a refusal) would stay in the history as that POST: *Back* or
*Reload* then asks to resubmit it (« Confirm Form Resubmission », in the desk's CRM pane
too). So, once, here: such a page is kept for a moment and the browser is redirected (303) to
the page's GET address, where it is shown once, with its status (422, 409…) and its errors.

The page waits in the database (table `kept_page`, a few minutes), so whichever serving process
the browser's GET reaches finds it: several processes need no sticky session for it. It is
shown once, to the user who posted, and a session keeps one page at a time; expired pages are
deleted as new ones are kept. A page not found again (expired, already shown) falls back to the
view's own GET, which loses only the typed values. Card numbers are never in it: the payment
form forgets them before rendering (`PaymentForm.forget_card`).

Login and language switches are left alone (their own redirects already), and so is the API.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, Response, current_app, redirect, request, session
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import HTTPException

from crm import clock
from crm.db import UTCDateTime, db

#: How long a page waits for its GET.
KEEP_SECONDS = 300
#: The answers that are a form shown again (with errors, or refused in its state); other errors
#: (403, 404, 400 for a stale CSRF token…) are answers about the request itself, left as they are.
FORM_STATUSES = frozenset({200, 409, 422})
#: Endpoints whose POST answers are left as they are.
EXEMPT_ENDPOINTS = frozenset({"auth.login", "auth.logout", "auth.set_language"})
_SESSION_KEY = "_prg"


class KeptPage(db.Model):
    """A page answered to a POST, waiting to be shown at its GET address."""

    __tablename__ = "kept_page"

    #: The random key the browser's session holds (never in the address).
    token: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    #: The session's user id (Flask-Login's `_user_id`: "<id>:<64-character session token>"),
    #: None for an anonymous form.
    user: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[int]
    #: The answer's headers as [name, value] pairs (Content-Length and cookies left out).
    headers: Mapped[list] = mapped_column(sa.JSON)
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def keep_page(page: KeptPage, *, replaces: str | None = None) -> str:
    """Keep a page (and forget the one it replaces and the expired ones); return its token.

    Commits: the page is kept after the request's own work. A page answered to a form with these
    statuses is a refusal or a form shown again, so whatever the request left uncommitted is not
    meant to be saved (views commit what they save before answering): it is rolled back first.
    """
    db.session.rollback()
    page.token = secrets.token_urlsafe(16)
    stale = KeptPage.kept_at < clock.now() - timedelta(seconds=KEEP_SECONDS)
    if replaces:
        stale = sa.or_(stale, KeptPage.token == replaces)
    db.session.execute(sa.delete(KeptPage).where(stale))
    db.session.add(page)
    db.session.commit()
    return page.token


def take_page(token: str) -> KeptPage | None:
    """The page of that token, once (None if unknown or expired): deleted as it is read, so
    two processes asked for it at once cannot both show it."""
    if not token:
        return None
    columns = (KeptPage.user, KeptPage.url, KeptPage.status, KeptPage.headers, KeptPage.body,
               KeptPage.kept_at)  # fmt: skip
    row = db.session.execute(
        sa.delete(KeptPage).where(KeptPage.token == token).returning(*columns)
    ).first()
    db.session.commit()
    if row is None or row.kept_at < clock.now() - timedelta(seconds=KEEP_SECONDS):
        return None
    return KeptPage(token=token, **row._asdict())


def get_address() -> str | None:
    """Where the browser should GET the page: this address if it answers GET, else the
    same-site page the form was posted from; None when there is neither."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(request.path, method="GET")
    except HTTPException:
        referrer = request.referrer
        if not referrer:
            return None
        parts = urlsplit(referrer)
        if parts.netloc and parts.netloc != request.host:
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")


def _same_address(a: str, b: str) -> bool:
    return a.rstrip("?") == b.rstrip("?")


def _redirect_after_post(response: Response) -> Response:
    """A page answered to an HTML form's POST → kept, and a 303 to its GET address."""
    if (
        request.method != "POST"
        or request.path.startswith("/api/")
        or request.endpoint in EXEMPT_ENDPOINTS
        or response.status_code not in FORM_STATUSES
        or response.mimetype != "text/html"
        or response.direct_passthrough
    ):
        return response
    address = get_address()
    if address is None:
        return response
    left_out = ("content-length", "set-cookie")
    headers = [[k, v] for k, v in response.headers.items() if k.lower() not in left_out]
    page = KeptPage(
        body=response.get_data(),
        status=response.status_code,
        headers=headers,
        user=session.get("_user_id"),
        url=address,
        kept_at=clock.now(),
    )
    earlier = (session.get(_SESSION_KEY) or {}).get("token")
    session[_SESSION_KEY] = {"token": keep_page(page, replaces=earlier), "url": address}
    return redirect(address, 303)


def _show_kept_page() -> Response | None:
    """At the GET address right after the redirect: the kept page, once."""
    kept = session.get(_SESSION_KEY)
    if request.method != "GET" or not kept:
        return None
    if not _same_address(kept.get("url", ""), request.full_path):
        return None
    session.pop(_SESSION_KEY, None)
    page = take_page(kept.get("token", ""))
    if page is None or page.user != session.get("_user_id"):
        return None
    response = Response(page.body, status=page.status)
    for key, value in page.headers:
        if key.lower() != "set-cookie":
            response.headers[key] = value
    return response


def init_app(app: Flask) -> None:
    """Answer every HTML form's POST with a redirect (PRG)."""
    app.before_request(_show_kept_page)
    app.after_request(_redirect_after_post)
