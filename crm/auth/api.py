"""API: token exchange and who am I."""

from __future__ import annotations

from flask import g, jsonify

from crm.auth.serialize import user_dict
from crm.auth.services import authenticate
from crm.auth.throttle import client_address
from crm.auth.tokens import issue_token, revoke_token
from crm.db import db
from crm.training.serialize import current_attempt_dict
from crm.training.services import current_attempt
from crm.validation import Fields
from crm.web.api import error_response, json_body, make_api_blueprint
from crm.web.openapi import doc, reply, text

bp = make_api_blueprint("auth_api", __name__, operation_prefix="")


#: The answer of POST /auth/token.
TOKEN_SCHEMA = {
    "type": "object",
    "properties": {
        "token": {"type": "string"},
        "expires_at": {"type": "string", "format": "date-time"},
        "user": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "username": {"type": "string"},
                "role": {"type": "string", "enum": ["candidate", "trainer", "evaluator"]},
                "display_name": {"type": "string"},
            },
        },
    },
    "required": ["token", "expires_at", "user"],
}


@bp.post("/auth/token")
@doc(
    body={"username": text(64), "password": text(200)},
    tag="Auth",
    public=True,
    responses={
        200: reply("A bearer token, valid until `expires_at`", TOKEN_SCHEMA),
        401: "Bad credentials (also for an unknown or locked account)",
        429: "Too many failed logins from this address or for this account",
    },
)
def auth_token():
    """Exchange a username and password for a bearer token that expires."""
    fields = Fields(json_body())
    username = fields.text("username", max_length=64)
    password = fields.text("password", max_length=200)
    fields.done()
    result = authenticate(username, password, client_address())
    db.session.commit()  # a failure counts even when refused
    if result.error == "throttled":
        response = error_response(
            429,
            "throttled",
            "Trop de tentatives de connexion : réessayez plus tard.",
            None,
            retry_after=result.retry_after,
        )
        response[0].headers["Retry-After"] = str(result.retry_after)
        return response
    if result.user is None:
        return error_response(401, "bad_credentials", "Identifiant ou mot de passe incorrect.")
    issued = issue_token(result.user)
    db.session.commit()
    return jsonify(
        {
            "token": issued.token,
            "expires_at": issued.expires_at.isoformat(),
            "user": user_dict(result.user),
        }
    )


@bp.delete("/auth/token")
@doc(
    tag="Auth",
    status=204,
    responses={
        204: "Revoked: the token no longer authenticates",
        400: "The call did not present a bearer token (a browser session has none)",
    },
)
def revoke_auth_token():
    """Revoke the bearer token presented with this call: it stops working at once."""
    if g.api_token_id is None:
        return error_response(
            400, "bearer_required", "Présentez le jeton à révoquer (en-tête Authorization)."
        )
    revoke_token(g.api_token_id)
    db.session.commit()
    return "", 204


@bp.get("/me")
@doc(tag="Auth")
def me():
    """The calling user and, for a candidate, their current attempt."""
    attempt = current_attempt(g.api_user)
    return jsonify(
        {
            "user": user_dict(g.api_user),
            "attempt": current_attempt_dict(attempt) if attempt else None,
        }
    )
