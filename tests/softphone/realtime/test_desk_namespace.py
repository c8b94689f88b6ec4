"""The `/desk` namespace: who may connect, the rooms they join, trainers watching a shift."""

from __future__ import annotations

from crm.db import db
from crm.training.services import change_shift_status


def test_refused_without_login(shift, desk):
    assert not desk(None).is_connected("/desk")


def test_refused_from_a_foreign_origin(shift, desk):
    assert not desk("candidat1", origin="http://evil.example").is_connected("/desk")
    assert not desk("candidat1", origin="https://localhost").is_connected("/desk")
    assert not desk("candidat1", origin="null").is_connected("/desk")


def test_a_configured_origin_is_accepted(app, shift, desk):
    app.config["SOCKETIO_ALLOWED_ORIGINS"] = ["https://plateau.example/"]
    assert desk("candidat1", origin="https://plateau.example").is_connected("/desk")
    assert not desk("candidat1", origin="https://other.example").is_connected("/desk")


def test_a_non_browser_client_without_origin_is_accepted(shift, desk):
    # Browsers always send Origin cross-site; its absence is a script or a same-origin handshake.
    assert desk("candidat1", origin=None).is_connected("/desk")


def test_refused_for_a_candidate_without_current_attempt(shift, desk):
    assert not desk("candidat3").is_connected("/desk")


def test_refused_once_the_shift_has_ended(shift, desk):
    change_shift_status(shift, "end")
    db.session.commit()
    assert not desk("candidat1").is_connected("/desk")


def test_refused_for_an_evaluator(shift, desk):
    assert not desk("jury").is_connected("/desk")


def test_candidate_joins_attempt_and_user_rooms(shift, attempt, people, desk, rooms):
    socket = desk("candidat1")
    assert socket.is_connected("/desk")
    assert rooms(socket) == {f"attempt:{attempt.id}", f"user:{people['cand1'].id}"}


def test_trainer_watches_a_shift(shift, attempt, people, desk, rooms, received):
    socket = desk("formateur")
    assert rooms(socket) == {f"user:{people['trainer'].id}"}
    ack = socket.emit("watch", {"shift_id": shift.id}, namespace="/desk", callback=True)
    assert ack == {"ok": True, "room": f"shift:{shift.id}"}
    assert f"shift:{shift.id}" in rooms(socket)
    assert received(socket) == []

    ack = socket.emit("unwatch", {"shift_id": shift.id}, namespace="/desk", callback=True)
    assert ack == {"ok": True}
    assert f"shift:{shift.id}" not in rooms(socket)


def test_watch_refusals(shift, desk, rooms, received):
    trainer = desk("formateur")
    for data, code in (
        ({"shift_id": 9999}, "not_found"),
        ({"shift_id": "1"}, "invalid"),
        (None, "invalid"),
    ):
        ack = trainer.emit("watch", data, namespace="/desk", callback=True)
        assert ack["ok"] is False and ack["code"] == code
        [(name, args)] = received(trainer)
        assert name == "error" and args[0]["code"] == code and args[0]["message"]
    assert not any(r.startswith("shift:") for r in rooms(trainer))


def test_a_candidate_cannot_watch_a_shift(shift, desk, rooms, received):
    socket = desk("candidat1")
    before = rooms(socket)
    ack = socket.emit("watch", {"shift_id": shift.id}, namespace="/desk", callback=True)
    assert ack == {"ok": False, "code": "forbidden", "message": "Réservé aux formateurs."}
    assert received(socket) == [("error", [ack])]
    assert rooms(socket) == before
