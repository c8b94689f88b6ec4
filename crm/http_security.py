"""What every HTTP answer carries for safety: the Content-Security-Policy, no caching of
personal pages, and the `Secure` flag on cookies sent over HTTPS."""

from __future__ import annotations

from flask import current_app, request
from flask.sessions import SecureCookieSessionInterface


def content_security_policy() -> str:
    """Scripts, styles and everything else from this origin only; no inline code of any kind.

    Socket.IO upgrades to a websocket on this same host, which older browsers do not count as
    'self'; nothing may frame Plateau but Plateau itself (the desk frames the CRM pages).
    """
    host = request.host
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"connect-src 'self' ws://{host} wss://{host}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        )
    )


def cookies_secure() -> bool:
    """Whether cookies get the Secure flag: SESSION_COOKIE_SECURE, where "auto" follows whether
    this request came over HTTPS (behind a proxy, see PROXY_FIX_X_FOR)."""
    setting = current_app.config["SESSION_COOKIE_SECURE"]
    if setting == "auto":
        return request.is_secure
    return bool(setting)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the Secure flag decided per request."""

    def get_cookie_secure(self, app) -> bool:
        return cookies_secure()


def mark_cookies_secure(response):
    """Add the Secure flag to cookies other hooks set (Flask-Login's remember cookie)."""
    if not cookies_secure():
        return response
    cookies = response.headers.getlist("Set-Cookie")
    if cookies:
        response.headers.remove("Set-Cookie")
        for cookie in cookies:
            secure = "secure" in (part.strip().lower() for part in cookie.split(";"))
            response.headers.add("Set-Cookie", cookie if secure else cookie + "; Secure")
    return response


def harden(response):
    """Security headers of every answer; no caching of anything but static files."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # SAMEORIGIN, not DENY: the desk frames the CRM pages (never another site).
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", content_security_policy())
    if request.endpoint != "static":
        # Pages and API answers hold personal data: no browser or proxy may keep a copy.
        headers["Cache-Control"] = "no-store"
    return response
