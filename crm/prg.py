"""Post/Redirect/Get for every HTML form: a POST never leaves a page in the browser's history.

Views answer a successful POST with a redirect themselves. A POST they answer with a page (the
form again with its errors, a refusal) would stay in the history as that POST: *Back* or
*Reload* then asks to resubmit it (« Confirm Form Resubmission », in the desk's CRM pane
too). So, once, here: such a page is kept for a moment and the browser is redirected (303) to
the page's GET address, where it is shown once, with its status (422, 409…) and its errors.

The page waits in this process's memory (a few minutes, a bounded number of pages): the
browser asks for it straight after the redirect, on the same process (scale-out runs behind
sticky sessions). A page not found again (expired, another process) falls back to the view's
own GET, which loses only the typed values. Card numbers are never in it: the payment form
forgets them before rendering (`PaymentForm.forget_card`).

Login and language switches are left alone (their own redirects already), and so is the API.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, redirect, request, session
from werkzeug.exceptions import HTTPException

#: How long a page waits for its GET, and how many pages a process keeps at most.
KEEP_SECONDS = 300
KEEP_PAGES = 500
#: The answers that are a form shown again (with errors, or refused in its state); other errors
#: (403, 404, 400 for a stale CSRF token…) are answers about the request itself, left as they are.
FORM_STATUSES = frozenset({200, 409, 422})
#: Endpoints whose POST answers are left as they are.
EXEMPT_ENDPOINTS = frozenset({"auth.login", "auth.logout", "auth.set_language"})
_SESSION_KEY = "_prg"


@dataclass(frozen=True)
class KeptPage:
    """A page answered to a POST, waiting to be shown at its GET address."""

    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    user: str | None
    url: str
    kept_at: float


class PageStore:
    """The kept pages of this process, by token (bounded, expiring, thread-safe)."""

    def __init__(self, limit: int = KEEP_PAGES, seconds: int = KEEP_SECONDS):
        self.limit, self.seconds = limit, seconds
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, page: KeptPage) -> str:
        """Keep a page; return its token."""
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._pages[token] = page
            while len(self._pages) > self.limit:
                self._pages.popitem(last=False)
        return token

    def take(self, token: str) -> KeptPage | None:
        """The page of that token, once (None if unknown or expired)."""
        with self._lock:
            page = self._pages.pop(token, None)
        if page is None or time.monotonic() - page.kept_at > self.seconds:
            return None
        return page


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
    headers = tuple(
        (k, v) for k, v in response.headers.items() if k.lower() not in ("content-length",)
    )
    page = KeptPage(
        body=response.get_data(),
        status=response.status_code,
        headers=headers,
        user=session.get("_user_id"),
        url=address,
        kept_at=time.monotonic(),
    )
    session[_SESSION_KEY] = {"token": current_app.extensions["prg"].put(page), "url": address}
    return redirect(address, 303)


def _show_kept_page() -> Response | None:
    """At the GET address right after the redirect: the kept page, once."""
    kept = session.get(_SESSION_KEY)
    if request.method != "GET" or not kept:
        return None
    if not _same_address(kept.get("url", ""), request.full_path):
        return None
    session.pop(_SESSION_KEY, None)
    page = current_app.extensions["prg"].take(kept.get("token", ""))
    if page is None or page.user != session.get("_user_id"):
        return None
    response = Response(page.body, status=page.status)
    for key, value in page.headers:
        if key.lower() != "set-cookie":
            response.headers[key] = value
    return response


def init_app(app: Flask) -> None:
    """Answer every HTML form's POST with a redirect (PRG)."""
    app.extensions["prg"] = PageStore()
    app.before_request(_show_kept_page)
    app.after_request(_redirect_after_post)
