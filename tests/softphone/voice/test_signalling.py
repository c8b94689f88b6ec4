"""The `/voice` namespace: who connects, and signalling relayed only between a link's ends."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.training.models import ShiftStaff

SUPERVISION = ("call.listened", "call.whispered")

OFFER = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}


def _signals(socket):
    return [e["args"][0] for e in socket.get_received("/voice") if e["name"] == "signal"]


def _send(socket, data):
    return socket.emit("signal", data, namespace="/voice", callback=True)


def test_who_connects(attempt, voice_socket, make_user):
    assert not voice_socket(None).is_connected("/voice")
    assert not voice_socket("formateur", origin="http://evil.example").is_connected("/voice")
    assert voice_socket("candidat1").is_connected("/voice")
    assert voice_socket("formateur").is_connected("/voice")
    assert voice_socket("jury").is_connected("/voice")
    # A candidate without a running attempt has no call to voice.
    assert not voice_socket("candidat3").is_connected("/voice")


def test_the_call_link_joins_the_candidate_and_the_role_player_only(
    attempt, live_call, voice_socket, people
):
    desk = voice_socket("candidat1")
    console = voice_socket("formateur")
    outsider = voice_socket("jury")
    ack = _send(
        console, {"call_id": live_call, "link": "call", "kind": "offer", "description": OFFER}
    )
    assert ack == {"ok": True}
    [offer] = _signals(desk)
    assert offer == {
        "call_id": live_call,
        "link": "call",
        "kind": "offer",
        "from": people["trainer"].id,
        "description": OFFER,
    }
    answer = {"type": "answer", "sdp": "v=0\r\n"}
    assert _send(
        desk, {"call_id": live_call, "link": "call", "kind": "answer", "description": answer}
    )["ok"]
    assert [s["description"] for s in _signals(console)] == [answer]
    candidate = {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0", "x": 1}
    _send(desk, {"call_id": live_call, "link": "call", "kind": "ice", "candidate": candidate})
    [ice] = _signals(console)
    assert ice["candidate"] == {"candidate": candidate["candidate"], "sdpMid": "0"}

    # Someone else on the call's link is refused, and nobody else hears anything.
    refused = _send(outsider, {"call_id": live_call, "link": "call", "kind": "ready"})
    assert refused["ok"] is False and refused["code"] == "forbidden"
    assert _signals(outsider) == [] and _signals(desk) == []


def test_signalling_refusals(attempt, other_attempt, live_call, voice_socket, trainer):
    console = voice_socket("formateur")
    other = voice_socket("candidat2")
    for data, code in (
        (None, "invalid"),
        ({"call_id": "1", "link": "call", "kind": "ready"}, "invalid"),
        ({"call_id": live_call, "link": "shout", "kind": "ready"}, "invalid"),
        ({"call_id": live_call, "link": "call", "kind": "offer"}, "invalid"),
        (
            {"call_id": live_call, "link": "call", "kind": "offer", "description": {"type": "x"}},
            "invalid",
        ),
        ({"call_id": live_call, "link": "call", "kind": "ice", "candidate": "x"}, "invalid"),
        ({"call_id": 999999, "link": "call", "kind": "ready"}, "not_found"),
    ):
        answer = _send(console, data)
        assert answer["ok"] is False and answer["code"] == code, (data, answer)
    # Another candidate cannot reach this call.
    refused = _send(other, {"call_id": live_call, "link": "call", "kind": "ready"})
    assert refused["code"] == "forbidden"
    assert _signals(other) == []

    # Over: nothing is relayed any more.
    trainer.post(f"/calls/{live_call}/customer-hangup")
    over = _send(console, {"call_id": live_call, "link": "call", "kind": "ready"})
    assert over["code"] == "call_over"
    # Only goodbyes still go through, between the same ends.
    assert _send(console, {"call_id": live_call, "link": "call", "kind": "bye"}) == {"ok": True}
    refused = _send(other, {"call_id": live_call, "link": "call", "kind": "bye"})
    assert refused["code"] == "forbidden"


def test_a_call_nobody_plays_has_no_voice(attempt, trainer, cand, voice_socket):
    cand.post("/phone/state", {"state": "ready"})
    rung = trainer.post(f"/attempts/{attempt.id}/inject", {"event": "appel-commande-rupture"})
    call_id = rung.get_json()["call"]["id"]
    refused = _send(
        voice_socket("candidat1"), {"call_id": call_id, "link": "call", "kind": "ready"}
    )
    assert refused["code"] == "not_taken"


def test_a_trainer_listens_to_the_role_players_mix_and_whispers_to_the_candidate(
    attempt, live_call, voice_socket, people, make_user
):
    desk = voice_socket("candidat1")
    console = voice_socket("formateur")
    listener_id = make_user("formateur2", "trainer").id
    outsider = voice_socket("formateur2")
    # A trainer who does not run the shift neither listens nor whispers.
    for link in ("listen", "whisper"):
        refused = _send(outsider, {"call_id": live_call, "link": link, "kind": "ready"})
        assert refused["code"] == "forbidden"
    db.session.add(ShiftStaff(shift_id=attempt.shift_id, user_id=listener_id))
    db.session.commit()
    listener = voice_socket("formateur2")
    evaluator = voice_socket("jury")

    # Listen: the trainer asks the role-player, who answers that trainer only.
    assert _send(listener, {"call_id": live_call, "link": "listen", "kind": "ready"})["ok"]
    [ready] = _signals(console)
    assert (ready["link"], ready["from"]) == ("listen", listener_id)
    sent = {"call_id": live_call, "link": "listen", "kind": "offer", "description": OFFER}
    assert _send(console, {**sent, "to": listener_id})["ok"]
    assert [s["kind"] for s in _signals(listener)] == ["offer"]
    assert _signals(desk) == []
    # The role-player cannot aim a listen link at a candidate or an evaluator.
    for to in (people["cand1"].id, people["evaluator"].id, None):
        assert _send(console, {**sent, "to": to})["code"] == "forbidden"

    # Whisper: the trainer's offer reaches the candidate, never the role-player.
    whisper = {"call_id": live_call, "link": "whisper", "kind": "offer", "description": OFFER}
    assert _send(listener, whisper)["ok"]
    [heard] = _signals(desk)
    assert (heard["link"], heard["from"]) == ("whisper", listener_id)
    assert _signals(console) == []
    answer = {"type": "answer", "sdp": "v=0\r\n"}
    reply = {"call_id": live_call, "link": "whisper", "kind": "answer", "description": answer}
    assert _send(desk, {**reply, "to": listener_id})["ok"]
    assert [s["kind"] for s in _signals(listener)] == ["answer"]

    # The candidate's log says who listened and who whispered (the call's ends' relays: no).
    actions = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    ).all()
    supervised = [(a.verb, a.actor_id, a.object_id) for a in actions if a.verb in SUPERVISION]
    assert supervised == [
        ("call.listened", listener_id, live_call),
        ("call.whispered", listener_id, live_call),
    ]

    # Evaluators do not listen or whisper.
    for link in ("listen", "whisper"):
        refused = _send(evaluator, {"call_id": live_call, "link": link, "kind": "ready"})
        assert refused["code"] == "forbidden"


def test_a_candidate_cannot_listen_to_another_call(attempt, other_attempt, live_call, voice_socket):
    other = voice_socket("candidat2")
    for link in ("listen", "whisper"):
        refused = _send(other, {"call_id": live_call, "link": link, "kind": "ready"})
        assert refused["code"] == "forbidden"
