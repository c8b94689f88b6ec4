"""The `/room` namespace: who may watch, and the new tile pushed after each commit."""

from __future__ import annotations

from flask import g

from crm.actionlog.services import record
from crm.db import db


def test_only_trainers_and_evaluators_connect(shift, room_socket):
    assert not room_socket(None).is_connected("/room")
    assert not room_socket("candidat1").is_connected("/room")
    assert not room_socket("formateur", origin="http://evil.example").is_connected("/room")
    assert room_socket("formateur").is_connected("/room")
    assert room_socket("jury").is_connected("/room")


def test_join_refusals(shift, room_socket):
    socket = room_socket("formateur")
    for data, code in (
        ({"shift_id": 999999}, "not_found"),
        ({"shift_id": "1"}, "invalid"),
        (None, "invalid"),
    ):
        ack = socket.emit("join", data, namespace="/room", callback=True)
        assert ack["ok"] is False and ack["code"] == code


def test_a_candidates_action_pushes_their_new_tile(
    shift, attempt, other_attempt, api, room_socket, tiles_received
):
    # Tokens first: socket handlers run in the test's app context, where Flask-Login caches.
    cand1, cand2 = api.as_("candidat1"), api.as_("candidat2")
    trainer = room_socket("formateur")
    jury = room_socket("jury")
    outsider = room_socket("formateur")  # connected, but watching no shift
    for socket in (trainer, jury):
        ack = socket.emit("join", {"shift_id": shift.id}, namespace="/room", callback=True)
        assert ack == {"ok": True, "room": f"room:{shift.id}"}
    tiles_received(trainer), tiles_received(jury)
    g.pop("_login_user", None)

    response = cand1.post("/phone/state", {"state": "ready"})
    assert response.status_code == 200
    [push] = tiles_received(trainer)
    assert push["shift"]["id"] == shift.id
    [tile] = push["items"]  # only the tile that changed, not the whole room
    assert tile["attempt_id"] == attempt.id and tile["phone"]["state"] == "ready"
    assert tile["last_action"]["verb"] == "agent.logged_on"
    assert tiles_received(jury) == [push]
    assert tiles_received(outsider) == []

    ack = trainer.emit("leave", {"shift_id": shift.id}, namespace="/room", callback=True)
    assert ack == {"ok": True}
    g.pop("_login_user", None)
    cand2.post("/phone/state", {"state": "ready"})
    assert tiles_received(trainer) == []
    [push] = tiles_received(jury)
    assert [t["attempt_id"] for t in push["items"]] == [other_attempt.id]


def test_nothing_is_pushed_before_the_commit_nor_after_a_rollback(
    shift, ctx, room_socket, tiles_received
):
    socket = room_socket("formateur")
    socket.emit("join", {"shift_id": shift.id}, namespace="/room", callback=True)
    record(ctx, "client.searched", None, {"q": "x"})
    assert tiles_received(socket) == []
    db.session.rollback()
    assert tiles_received(socket) == []
    record(ctx, "client.searched", None, {"q": "y"})
    db.session.commit()
    [push] = tiles_received(socket)
    assert push["items"][0]["counts"]["actions"] == ctx.attempt.action_count


def test_a_room_nobody_watches_computes_no_tiles(shift, ctx, room_socket, monkeypatch):
    from softphone.room import pushes

    computed = []
    real = pushes.live_room
    monkeypatch.setattr(
        pushes, "live_room", lambda *a, **kw: computed.append(a[0].id) or real(*a, **kw)
    )
    outsider = room_socket("formateur")  # connected, but watching no shift
    record(ctx, "client.searched", None, {"q": "x"})
    db.session.commit()
    assert computed == []
    outsider.emit("join", {"shift_id": shift.id}, namespace="/room", callback=True)
    record(ctx, "client.searched", None, {"q": "y"})
    db.session.commit()
    assert computed == [shift.id]
