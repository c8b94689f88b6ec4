"""A role-player sees only the shifts they run: the room, the console, their API and sockets."""

from __future__ import annotations

from flask import g

from crm.db import db
from crm.extensions import socketio
from crm.training.staff import add_staff
from tests.softphone.room.conftest import KNOWN_PHONE, OWN_ORIGIN


def _outsider(app, make_user):
    """A second trainer who does not run the fixture's shift, and a logged-in test client."""
    user = make_user("formateur2", "trainer")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    g.pop("_login_user", None)
    return user, client


def test_the_api_refuses_a_trainer_who_does_not_run_the_shift(
    shift, attempt, api, cand, trainer, people, make_user, app
):
    other, _ = _outsider(app, make_user)
    outsider = api.as_("formateur2")
    cand.post("/phone/state", {"state": "ready"})
    ring = trainer.post(f"/attempts/{attempt.id}/inject", {"kind": "call", "party": KNOWN_PHONE})
    assert ring.status_code == 201, ring.get_json()
    call_id = ring.get_json()["call"]["id"]

    for path in (
        f"/shifts/{shift.id}/live",
        f"/shifts/{shift.id}/events",
        f"/shifts/{shift.id}/roleplay",
        f"/attempts/{attempt.id}/desk",
        f"/roleplay/calls/{call_id}",
        f"/calls/{call_id}",
    ):
        answer = outsider.get(path)
        assert answer.status_code == 403, path
        assert answer.get_json()["error"]["code"] == "not_staff"
    for path, body in (
        (f"/roleplay/calls/{call_id}/take", {}),
        (f"/calls/{call_id}/customer-say", {"text": "Bonjour"}),
        (f"/attempts/{attempt.id}/inject", {"kind": "call", "party": KNOWN_PHONE}),
        (f"/attempts/{attempt.id}/inbound-calls", {"number": KNOWN_PHONE}),
    ):
        answer = outsider.post(path, body)
        assert answer.status_code == 403, path
    # The people who run it still see it; once added, so does the other trainer.
    assert trainer.get(f"/roleplay/calls/{call_id}").status_code == 200
    assert api.as_("jury").get(f"/shifts/{shift.id}/roleplay").status_code == 200
    add_staff(shift, other, people["trainer"])
    db.session.commit()
    assert outsider.get(f"/roleplay/calls/{call_id}").status_code == 200


def test_the_sockets_refuse_a_shift_one_does_not_run(shift, app, make_user, room_socket):
    _, client = _outsider(app, make_user)
    for namespace in ("/room", "/roleplay"):
        socket = socketio.test_client(
            app, namespace=namespace, flask_test_client=client, headers={"Origin": OWN_ORIGIN}
        )
        g.pop("_login_user", None)
        assert socket.is_connected(namespace)
        ack = socket.emit("join", {"shift_id": shift.id}, namespace=namespace, callback=True)
        assert ack["ok"] is False and ack["code"] == "not_staff"
        g.pop("_login_user", None)
    desk = socketio.test_client(
        app, namespace="/desk", flask_test_client=client, headers={"Origin": OWN_ORIGIN}
    )
    g.pop("_login_user", None)
    ack = desk.emit("watch", {"shift_id": shift.id}, namespace="/desk", callback=True)
    assert ack["ok"] is False and ack["code"] == "not_staff"
    g.pop("_login_user", None)
    jury = room_socket("jury")
    ack = jury.emit("join", {"shift_id": shift.id}, namespace="/room", callback=True)
    assert ack["ok"] is True
