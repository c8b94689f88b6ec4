"""The candidate's context shared by pages and the API (crm.web.context)."""

from __future__ import annotations

import pytest
from flask_login import login_user

from crm.actionlog.services import check_attempt
from crm.clients.models import Client
from crm.contacts.services import open_contact
from crm.db import db
from crm.errors import NotFound
from crm.web.context import candidate_attempt, candidate_ctx, in_attempt, open_interaction
from tests.factories import gen_attempt, gen_client, gen_shift, gen_user


@pytest.fixture
def world(app):
    """Two candidates, each with an attempt in a running shift and one client."""
    shift = gen_shift()
    mine, theirs = gen_user("candidat1"), gen_user("candidat2")
    attempt, other = gen_attempt(shift, mine), gen_attempt(shift, theirs)
    client, foreign = gen_client(attempt, "T-1"), gen_client(other, "T-2")
    db.session.commit()
    return {"user": mine, "attempt": attempt, "client": client, "foreign": foreign}


def _as(app, user):
    context = app.test_request_context("/")
    context.push()
    login_user(user)
    return context


def test_candidate_ctx_is_the_attempt_with_the_open_contact(app, world):
    context = _as(app, world["user"])
    try:
        ctx = candidate_ctx()
        assert ctx.attempt.id == world["attempt"].id
        assert (ctx.actor_id, ctx.actor_role, ctx.interaction) == (
            world["user"].id,
            "candidate",
            None,
        )
        contact = open_contact(ctx, world["client"], "phone", "inbound", "")
        assert open_interaction(ctx.attempt.id) == ("contact", contact.id)
        assert candidate_ctx().interaction == ("contact", contact.id)
    finally:
        context.pop()


def test_no_running_attempt_is_not_found(app, world):
    context = _as(app, gen_user("candidat3"))
    try:
        assert candidate_attempt() is None
        with pytest.raises(NotFound) as refused:
            candidate_ctx()
        assert refused.value.code == "no_attempt"
    finally:
        context.pop()


def test_in_attempt_loads_only_rows_of_the_callers_attempt(app, world):
    context = _as(app, world["user"])
    try:
        ctx = candidate_ctx()
        assert in_attempt(Client, world["client"].id, ctx) is world["client"]
        for object_id in (world["foreign"].id, 999_999, "abc", 2**70):
            with pytest.raises(NotFound) as refused:
                in_attempt(Client, object_id, ctx, label="Client")
            assert refused.value.message == "Client introuvable."
    finally:
        context.pop()


def test_check_attempt_refuses_another_attempts_row_and_skips_none(app, world):
    context = _as(app, world["user"])
    try:
        ctx = candidate_ctx()
        check_attempt(ctx, world["client"], None)
        with pytest.raises(NotFound):
            check_attempt(ctx, world["client"], world["foreign"])
    finally:
        context.pop()
