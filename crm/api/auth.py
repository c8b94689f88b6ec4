"""API: token exchange and who am I."""

from __future__ import annotations

from flask import g, jsonify

from crm.api.core import bp, error_response, json_body
from crm.api.docs import doc, text
from crm.auth.services import authenticate, issue_token
from crm.db import db
from crm.training.services import current_attempt
from crm.validation import Fields


def user_dict(user) -> dict:
    """Public fields of a user."""
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "display_name": user.display_name,
    }


@bp.post("/auth/token")
@doc(body={"username": text(64), "password": text(200)}, tag="Auth", public=True)
def auth_token():
    """Exchange a username and password for a bearer token."""
    fields = Fields(json_body())
    username = fields.text("username", max_length=64)
    password = fields.text("password", max_length=200)
    fields.done()
    result = authenticate(username, password)
    if result.user is None:
        db.session.commit()  # keep the failure count
        message = (
            "Compte verrouillé après trop d'échecs."
            if result.error == "locked"
            else "Identifiant ou mot de passe incorrect."
        )
        return error_response(401, result.error, message)
    token = issue_token(result.user)
    db.session.commit()
    return jsonify({"token": token, "user": user_dict(result.user)})


@bp.get("/me")
@doc(tag="Auth")
def me():
    """The calling user and, for a candidate, their current attempt."""
    attempt = current_attempt(g.api_user)
    return jsonify(
        {
            "user": user_dict(g.api_user),
            "attempt": (
                {
                    "id": attempt.id,
                    "shift_id": attempt.shift_id,
                    "scenario": attempt.shift.scenario,
                    "status": attempt.status,
                    "shift_status": attempt.shift.status,
                }
                if attempt
                else None
            ),
        }
    )
