"""The callbacks list: states by the time, dialled from the list (done, kept on time or not),
done too when the client is dialled by number, and every refusal leaving nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.contacts.callbacks import callback_state, kept_on_time
from crm.contacts.models import Callback, Contact
from crm.db import db

T = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "now", "state"),
    [
        ("pending", T - timedelta(minutes=30), "upcoming"),
        ("pending", T - timedelta(minutes=5), "due"),
        ("pending", T + timedelta(minutes=15), "due"),
        ("pending", T + timedelta(minutes=16), "overdue"),
        ("done", T + timedelta(hours=3), "done"),
        ("cancelled", T, "cancelled"),
    ],
)
def test_callback_state(status, now, state):
    assert callback_state(status, T, now) == state


@pytest.mark.parametrize(
    ("minutes", "kept"), [(-6, False), (-5, True), (0, True), (15, True), (16, False)]
)
def test_kept_on_time(minutes, kept):
    assert kept_on_time(T, T + timedelta(minutes=minutes)) is kept


@pytest.fixture
def cand(api, shift, clock, caller):
    return api.as_("candidat1")


def _callback(attempt, client, due_at, contact=None) -> Callback:
    row = Callback(
        attempt_id=attempt.id,
        client_id=client.id,
        contact_id=contact.id if contact else None,
        due_at=due_at,
        reason="Rappeler pour la livraison",
        status="pending",
        created_at=due_at - timedelta(days=1),
    )
    db.session.add(row)
    db.session.commit()
    return row


def _actions(attempt, verb):
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == verb)
    ).all()


def test_the_list_says_due_and_where_it_comes_from(cand, attempt, caller, clock):
    contact = Contact(
        attempt_id=attempt.id, client_id=caller.id, channel="phone", direction="inbound",
        code="RAPPEL", qualified_at=clock.now - timedelta(days=1), historical=True,
    )  # fmt: skip
    db.session.add(contact)
    db.session.commit()
    due = _callback(attempt, caller, clock.now + timedelta(minutes=2), contact)
    later = _callback(attempt, caller, clock.now + timedelta(days=2))
    items = cand.get("/callbacks", status="pending", client_id=caller.id).get_json()["items"]
    by_id = {i["id"]: i for i in items}
    assert by_id[due.id]["source"] == {
        "kind": "contact",
        "contact_id": contact.id,
        "code": "RAPPEL",
    }
    assert by_id[later.id]["source"] == {"kind": "manual"}
    assert by_id[due.id]["client"]["phones"] == ["+33499000001"]
    # The API's states follow the real time; the list's rule itself is tested above.
    assert {i["state"] for i in items} <= {"upcoming", "due", "overdue"}
    assert "status" in cand.get("/callbacks", status="soon").get_json()["error"]["fields"]


def test_dialled_from_the_list_the_callback_is_done_and_kept(cand, attempt, caller, clock):
    callback = _callback(attempt, caller, clock.now + timedelta(minutes=3))
    cand.post("/phone/state", {"state": "ready"})
    response = cand.post("/calls", {"number": "04 99 00 00 01", "callback_id": callback.id})
    assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    assert db.session.get(Callback, callback.id).status == "done"
    [done] = _actions(attempt, "callback.done")
    assert done.payload["kept"] is True and done.payload["call_id"] == response.get_json()["id"]
    assert done.payload["delay_seconds"] == -180.0


def test_a_late_call_to_the_client_by_number_does_the_callback_not_kept(
    cand, attempt, caller, clock
):
    callback = _callback(attempt, caller, clock.now - timedelta(hours=1))
    cand.post("/phone/state", {"state": "ready"})
    assert cand.post("/calls", {"number": "0499000001"}).status_code == 201
    db.session.expire_all()
    assert db.session.get(Callback, callback.id).status == "done"
    [done] = _actions(attempt, "callback.done")
    assert done.payload["kept"] is False and done.payload["delay_seconds"] == 3600.0


def test_dialling_refusals_leave_nothing(cand, attempt, caller, clock, make_client, other_attempt):
    other = make_client(attempt, "04 99 00 00 02", number="T00002", last_name="Autre")
    callback = _callback(attempt, caller, clock.now)
    cand.post("/phone/state", {"state": "ready"})
    before = len(db.session.scalars(sa.select(Action.id)).all())
    # Another client's number.
    wrong = cand.post("/calls", {"number": "04 99 00 00 02", "callback_id": callback.id})
    assert wrong.status_code == 422 and "number" in wrong.get_json()["error"]["fields"]
    # Unknown, or of another attempt.
    foreign = _callback(other_attempt, make_client(other_attempt, number="T00003"), clock.now)
    for ident in (999999, foreign.id):
        missing = cand.post("/calls", {"number": "04 99 00 00 01", "callback_id": ident})
        assert missing.status_code == 404
    bad = cand.post("/calls", {"number": "04 99 00 00 01", "callback_id": "x"})
    assert bad.status_code == 422 and "callback_id" in bad.get_json()["error"]["fields"]
    assert len(db.session.scalars(sa.select(Action.id)).all()) == before
    # Already done.
    callback.status = "done"
    db.session.commit()
    done = cand.post("/calls", {"number": "04 99 00 00 01", "callback_id": callback.id})
    assert done.status_code == 409 and done.get_json()["error"]["code"] == "callback_done"
    assert other.id != caller.id
