"""`invoices.viewed`: one service (`view_invoices`), one payload, whichever surface reads the
invoices — the client's invoices page, the API's list for a client, one invoice's detail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx
from crm.errors import ValidationFailed
from crm.extensions import db
from crm.payments.history import view_invoices

KEYS = {"client_id", "client", "invoice", "status", "count"}


def _last(attempt) -> Action:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()


def _assert_read(action: Action, world, **payload) -> None:
    """An invoices.viewed action about the world's client, with exactly this payload."""
    assert action.verb == "invoices.viewed"
    assert (action.object_type, action.object_id) == ("client", world.client.id)
    assert set(action.payload) == KEYS
    assert action.payload == {"client_id": world.client.id, "client": "T-PAY-1", **payload}


def test_the_page_records_the_one_payload(login, world, attempt):
    client = login("candidat1")
    assert client.get(f"/clients/{world.client.id}/invoices").status_code == 200
    _assert_read(_last(attempt), world, invoice=None, status=None, count=4)


def test_the_api_list_records_the_one_payload_with_its_filter(api, world, attempt):
    me = api.as_("candidat1")
    assert me.get("/invoices", client_id=world.client.id, status="overdue").status_code == 200
    _assert_read(_last(attempt), world, invoice=None, status="overdue", count=1)


def test_the_api_detail_records_the_one_payload_about_the_client(api, world, attempt):
    me = api.as_("candidat1")
    assert me.get(f"/invoices/{world.partial.id}").status_code == 200
    _assert_read(_last(attempt), world, invoice="T-FA-2", status=None, count=1)


def test_a_refused_detail_records_nothing(api, world, attempt):
    me = api.as_("candidat1")
    before = _last(attempt)
    assert me.get(f"/invoices/{world.foreign_invoice.id}").status_code == 404
    assert _last(attempt) == before


def test_the_service_refuses_what_it_cannot_have_read(world, attempt, other_attempt, people):
    ctx = Ctx(attempt, people["cand1"].id, "candidate")
    with pytest.raises(ValidationFailed) as refused:
        view_invoices(ctx, world.client, count=1, status="late")
    assert "status" in refused.value.fields
    with pytest.raises(ValueError, match="not the client's"):
        view_invoices(ctx, world.other_client, count=1, invoice=world.partial)
    with pytest.raises(ValueError, match="caller's attempt"):
        view_invoices(ctx, world.foreign_invoice.client, count=1)
    with pytest.raises(ValueError, match="count"):
        view_invoices(ctx, world.client, count=-1)
    db.session.rollback()
