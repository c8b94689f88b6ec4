"""The public kit of JSON endpoints: each feature's blueprint under /api/v1, its authentication
and JSON errors, role checks, the request body, paging, and the commit that answers.

Every feature keeps its endpoints in its own `api.py` on a blueprint made here
(`make_api_blueprint`), its `*_dict` serializers in its `serialize.py`, and documents each
endpoint with `crm.web.openapi.doc`.
"""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, current_app, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException

from crm.auth.tokens import check_token
from crm.clients.models import Client
from crm.db import db
from crm.errors import DomainError, NotFound
from crm.training.models import Attempt
from crm.validation import Fields
from crm.web.context import candidate_ctx, in_attempt

#: The prefix every JSON endpoint lives under.
URL_PREFIX = "/api/v1"


def error_response(status: int, code: str, message: str, fields=None, /, **extra):
    """The JSON error shape of the contract (positional-only: details may say `status`)."""
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return jsonify({"error": body}), status


def is_public_endpoint(endpoint: str | None) -> bool:
    """Whether an endpoint answers without a user: its `doc(public=True)` says so, so the
    OpenAPI document (`security: []`) and the authentication can never disagree."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return bool(getattr(view, "openapi", {}).get("public"))


def authenticate():
    """Bearer token, or the browser's session plus its CSRF header for unsafe methods
    (a `before_request` hook of every API blueprint: None lets the request through)."""
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
    if is_public_endpoint(request.endpoint):
        return None
    return error_response(401, "unauthorized", "Authentification requise.")


def domain_error_response(error: DomainError):
    """A refusal of the domain as the contract's JSON error; nothing of the request is kept."""
    fields = getattr(error, "fields", None)
    db.session.rollback()
    return error_response(error.status, error.code, error.message, fields, **error.details)


def make_api_blueprint(
    name: str, import_name: str, *, operation_prefix: str | None = None
) -> Blueprint:
    """A feature's own JSON blueprint under /api/v1: this kit's authentication, JSON domain
    errors and CSRF exemption (bearer calls, or the session plus X-CSRFToken).

    `operation_prefix` starts the OpenAPI operationId of each of its endpoints (then the view's
    name and the method). Generated clients name their methods after these ids, so they are
    part of the contract: by default the name less `_api` (`phone_api` → `phone_`); crm's
    features pass `""`, keeping the ids they had when crm had one API blueprint.
    """
    from crm.extensions import csrf

    blueprint = Blueprint(name, import_name, url_prefix=URL_PREFIX)
    blueprint.before_request(authenticate)
    blueprint.register_error_handler(DomainError, domain_error_response)
    if operation_prefix is None:
        operation_prefix = name.removesuffix("_api") + "_"
    blueprint.operation_prefix = operation_prefix
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


def attempt_or_404(attempt_id: int) -> Attempt:
    """An attempt named by a trainer or an evaluator, or 404."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    return attempt


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


#: The query string of `client_listing` (`@doc(query=CLIENT_LISTING_QUERY)`).
CLIENT_LISTING_QUERY = {"client_id?": "id", "limit?": "integer", "offset?": "integer"}


def client_listing(model, serialize):
    """The candidate's rows of `model` in their attempt, newest first, paged (`listing`); those
    of one client when `?client_id=` names one (404 if not of the attempt)."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    fields.done()
    query = sa.select(model).where(model.attempt_id == ctx.attempt.id)
    if client_id is not None:
        in_attempt(Client, client_id, ctx, label="Client")
        query = query.where(model.client_id == client_id)
    return listing(query.order_by(model.id.desc()), serialize, limit, offset)


def commit_and(response, status: int = 200):
    """Commit the request's transaction, then answer (pushes go out after this)."""
    db.session.commit()
    return jsonify(response), status


#: The kit a feature's `api.py` imports; the candidate's context and the attempt-scoped loader
#: are `crm.web.context`'s, the same for pages and the API.
__all__ = [
    "CLIENT_LISTING_QUERY",
    "URL_PREFIX",
    "api_http_error",
    "attempt_or_404",
    "authenticate",
    "candidate_ctx",
    "client_listing",
    "commit_and",
    "domain_error_response",
    "error_response",
    "in_attempt",
    "is_public_endpoint",
    "json_body",
    "listing",
    "make_api_blueprint",
    "page_args",
    "roles",
]
