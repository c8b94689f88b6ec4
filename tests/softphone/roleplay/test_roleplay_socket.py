"""The `/roleplay` namespace: who may connect and join, and the push after a candidate's turn."""

from __future__ import annotations

from flask import g

from crm.extensions import socketio  # noqa: F401  (the namespace lives on the app's server)


def _changes(socket):
    return [e["args"][0] for e in socket.get_received("/roleplay") if e["name"] == "changed"]


def test_only_trainers_and_evaluators_connect(shift, console_socket):
    assert not console_socket(None).is_connected("/roleplay")
    assert not console_socket("candidat1").is_connected("/roleplay")
    assert not console_socket("formateur", origin="http://evil.example").is_connected("/roleplay")
    assert console_socket("formateur").is_connected("/roleplay")
    assert console_socket("jury").is_connected("/roleplay")


def test_join_refusals(shift, console_socket):
    socket = console_socket("formateur")
    for data, code in (
        ({"shift_id": 999999}, "not_found"),
        ({"shift_id": "1"}, "invalid"),
        (None, "invalid"),
    ):
        ack = socket.emit("join", data, namespace="/roleplay", callback=True)
        assert ack["ok"] is False and ack["code"] == code


def test_the_candidates_turn_reaches_the_console(shift, attempt, api, console_socket):
    cand = api.as_("candidat1")
    socket = console_socket("formateur")
    outsider = console_socket("jury")  # connected, following no shift
    ack = socket.emit("join", {"shift_id": shift.id}, namespace="/roleplay", callback=True)
    assert ack == {"ok": True, "room": f"roleplay:{shift.id}"}
    _changes(socket)
    g.pop("_login_user", None)
    assert cand.post("/phone/state", {"state": "ready"}).status_code == 200
    [push] = _changes(socket)
    assert push["attempts"] == [attempt.id]
    assert _changes(outsider) == []
