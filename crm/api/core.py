"""What every API endpoint shares: the blueprint, bearer/session auth, errors, context, lists."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException

from crm.auth.tokens import check_token
from crm.db import db
from crm.errors import DomainError, ValidationFailed
from crm.validation import Fields
from crm.web.context import candidate_ctx, in_attempt

bp = Blueprint("api", __name__, url_prefix="/api/v1")

#: Endpoints reachable without a user (token exchange, OpenAPI document).
PUBLIC_ENDPOINTS = {"api.auth_token", "api.openapi"}


def error_response(status: int, code: str, message: str, fields=None, /, **extra):
    """The JSON error shape of the contract (positional-only: details may say `status`)."""
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return jsonify({"error": body}), status


@bp.before_request
def _authenticate():
    """Bearer token, or the browser's session plus its CSRF header for unsafe methods."""
    g.api_user = None
    g.api_token_id = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        check = check_token(header[7:].strip())
        if check.error == "expired":
            return error_response(
                401, "token_expired", "Jeton expiré : demandez-en un nouveau (POST /auth/token)."
            )
        if check.user is None:
            return error_response(401, "unauthorized", "Jeton absent ou invalide.")
        g.api_user = check.user
        g.api_token_id = check.token_id
        return None
    if current_user.is_authenticated:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken", ""))
            except CSRFError:
                return error_response(400, "csrf", "Jeton CSRF absent ou invalide.")
            except Exception:  # flask-wtf raises ValidationError for a bad token
                return error_response(400, "csrf", "Jeton CSRF absent ou invalide.")
        g.api_user = current_user._get_current_object()
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return error_response(401, "unauthorized", "Authentification requise.")


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    fields = getattr(error, "fields", None)
    db.session.rollback()
    return error_response(error.status, error.code, error.message, fields, **error.details)


def make_api_blueprint(name: str, import_name: str) -> Blueprint:
    """A feature's own JSON blueprint under /api/v1: this kit's authentication, JSON domain
    errors and CSRF exemption (bearer calls, or the session plus X-CSRFToken)."""
    from crm.extensions import csrf

    blueprint = Blueprint(name, import_name, url_prefix="/api/v1")
    blueprint.before_request(_authenticate)
    blueprint.register_error_handler(DomainError, _domain_error)
    csrf.exempt(blueprint)
    return blueprint


def api_http_error(error: HTTPException):
    """JSON for 404/405/… anywhere under /api/ (registered on the app)."""
    known = {
        400: ("bad_request", "Requête invalide."),
        401: ("unauthorized", "Authentification requise."),
        403: ("forbidden", "Rôle non autorisé pour cette opération."),
        404: ("not_found", "Ressource introuvable."),
        405: ("method_not_allowed", "Méthode non autorisée sur cette ressource."),
        413: ("payload_too_large", "Corps de requête trop volumineux."),
        415: ("unsupported_media_type", "Corps JSON attendu."),
        503: ("busy", "Serveur occupé : rien n'a été enregistré, réessayez (Retry-After)."),
    }
    code, message = known.get(error.code, ("http_error", error.name))
    extra = {}
    if error.code == 413:
        # The limit in force, so that a client knows how far to cut (crm.boundary.limits).
        extra["max_bytes"] = request.max_content_length
    response, status = error_response(error.code or 500, code, message, None, **extra)
    # The exception's own headers (Allow on a 405, Retry-After…), not its HTML content type.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response, status


def roles(*allowed: str):
    """Allow only these roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if g.api_user.role not in allowed:
                return error_response(403, "forbidden", "Rôle non autorisé pour cette opération.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body() -> dict:
    """The request's JSON object, or 400 malformed JSON."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DomainError("Corps JSON (objet) attendu.", code="malformed_json")
    return data


def page_args() -> tuple[int, int]:
    """`limit` and `offset` from the query string, validated."""
    fields = Fields(request.args)
    maximum = current_app.config["API_PAGE_MAX"]
    limit = fields.integer("limit", required=False, minimum=1, maximum=maximum, default=50)
    offset = fields.integer("offset", required=False, minimum=0, default=0)
    fields.done()
    return limit, offset


def listing(query, serialize, limit: int, offset: int):
    """`{"items": [...], "total": N}` for a select, paged."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.limit(limit).offset(offset))
    return jsonify({"items": [serialize(row) for row in rows], "total": total})


def commit_and(response, status: int = 200):
    """Commit the request's transaction, then answer (pushes go out after this)."""
    db.session.commit()
    return jsonify(response), status


__all__ = [
    "ValidationFailed",
    "bp",
    "candidate_ctx",
    "commit_and",
    "error_response",
    "in_attempt",
    "json_body",
    "listing",
    "make_api_blueprint",
    "page_args",
    "roles",
]
