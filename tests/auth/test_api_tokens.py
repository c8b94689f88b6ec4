"""API bearer tokens: they expire, can be revoked, stop while locked, and are checked read-only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.auth.models import ApiToken
from crm.auth.tokens import check_token
from crm.extensions import db
from tests.conftest import PASSWORD, Api


def _token(api, username="candidat1"):
    response = api.post("/auth/token", {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _with(api, token: str) -> Api:
    other = Api(api.client)
    other.token = token
    return other


def test_a_token_says_when_it_expires(api, people):
    before = clock.now()
    answer = _token(api)
    expires_at = datetime.fromisoformat(answer["expires_at"])
    assert expires_at.utcoffset() == timedelta(0)
    assert before + timedelta(hours=12) <= expires_at <= clock.now() + timedelta(hours=12)


def test_the_lifetime_is_configurable(app, api, people):
    app.config["API_TOKEN_TTL_HOURS"] = 1
    expires_at = datetime.fromisoformat(_token(api)["expires_at"])
    assert expires_at - clock.now() <= timedelta(hours=1)


def test_an_expired_token_is_refused_with_its_own_code(api, people):
    cand = _with(api, _token(api)["token"])
    assert cand.get("/me").status_code == 200
    db.session.execute(sa.update(ApiToken).values(expires_at=clock.now() - timedelta(seconds=1)))
    db.session.commit()
    response = cand.get("/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "token_expired"


def test_issuing_a_token_drops_the_users_expired_ones(api, people):
    _token(api)
    db.session.execute(sa.update(ApiToken).values(expires_at=clock.now() - timedelta(seconds=1)))
    db.session.commit()
    _token(api)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1


def test_revoking_stops_the_presented_token_only(api, people):
    first = _with(api, _token(api)["token"])
    second = _with(api, _token(api)["token"])
    response = first.delete("/auth/token")
    assert response.status_code == 204 and response.data == b""
    refused = first.get("/me")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert first.delete("/auth/token").status_code == 401
    assert second.get("/me").status_code == 200


def test_revoking_without_a_token_is_refused(api, client, people, login, csrf_from):
    assert api.delete("/auth/token").status_code == 401
    login("candidat1")
    page = client.get("/clients").get_data(as_text=True)
    response = client.delete("/api/v1/auth/token", headers={"X-CSRFToken": csrf_from(page)})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bearer_required"


def _tokens_of(user) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)
    )


def test_locking_revokes_the_accounts_tokens_and_unlocking_brings_none_back(app, api, people):
    from crm.auth.services import lock_user, unlock_user

    cand = _with(api, _token(api)["token"])
    other = _with(api, _token(api, "candidat2")["token"])
    assert cand.get("/me").status_code == 200
    lock_user(people["cand1"])
    # Revoked in the lock's own transaction: no row of the account is left to come back.
    assert _tokens_of(people["cand1"]) == 0
    db.session.commit()
    assert cand.get("/me").status_code == 401
    unlock_user(people["cand1"])
    db.session.commit()
    refused = cand.get("/me")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorized"
    assert _with(api, _token(api)["token"]).get("/me").status_code == 200
    # Someone else's tokens are untouched.
    assert other.get("/me").status_code == 200


def test_using_a_token_writes_nothing(app, api, people):
    cand = _with(api, _token(api)["token"])
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        assert cand.get("/me").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert statements and not {"INSERT", "UPDATE", "DELETE"} & set(statements)


def test_a_token_and_its_user_are_read_in_one_statement(app, api, people):
    token = _token(api)["token"]
    db.session.expire_all()  # the user is read again, as in a request of its own
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        check = check_token(token)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert check.user.username == people["cand1"].username
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


@pytest.mark.parametrize("header", ["Bearer ", "Bearer nonsense", "Bearer " + "x" * 500])
def test_bad_bearer_tokens_are_refused(client, people, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_openapi_declares_expiry_revocation_and_throttling(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    exchange = paths["/api/v1/auth/token"]["post"]["responses"]
    schema = exchange["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["expires_at"] == {"type": "string", "format": "date-time"}
    assert "Retry-After" in exchange["429"]["headers"]
    revoke = paths["/api/v1/auth/token"]["delete"]["responses"]
    assert "204" in revoke and "400" in revoke and "401" in revoke
