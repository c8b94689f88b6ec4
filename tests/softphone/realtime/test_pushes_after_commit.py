"""Pushes go out after the commit, once per room, only to the attempt (and shift) concerned."""

from __future__ import annotations

import threading

import pytest

from crm.actionlog.services import Ctx, record
from crm.db import db
from crm.training.models import Attempt
from crm.training.services import change_shift_status
from softphone.phone.services import offer_inbound_call, set_agent_state
from softphone.realtime.pushes import INFO_KEY, topic_for


def changed(topics):
    """Matcher for a `changed` event with these topics (any timestamp)."""
    return ("changed", topics)


def summary(events):
    """(name, topics or payload) of received events, timestamps left out."""
    return [(n, a[0]["topics"] if n == "changed" else a[0]) for n, a in events]


@pytest.mark.parametrize(
    "verb, topic",
    [
        ("agent.logged_on", "phone"),
        ("call.offered", "phone"),
        ("message.received", "inbox"),
        ("conversation.linked", "inbox"),
        ("order.created", "crm"),
        ("client.viewed", "crm"),
        ("attempt.started", "crm"),
    ],
)
def test_topic_of_a_verb(verb, topic):
    assert topic_for(verb) == topic


def test_a_candidate_never_receives_another_attempts_events(
    shift, other_attempt, api, desk, received
):
    cand1, cand2 = desk("candidat1"), desk("candidat2")
    response = api.as_("candidat2").post("/phone/state", {"state": "ready"})
    assert response.status_code == 200, response.get_json()
    assert received(cand1) == []
    [(name, [payload])] = received(cand2)
    assert name == "changed" and payload["topics"] == ["phone"] and payload["at"]


def test_nothing_is_pushed_before_the_commit_nor_after_a_rollback(ctx, desk, received):
    socket = desk("candidat1")
    record(ctx, "client.searched", None, {"q": "x"})
    assert received(socket) == []
    db.session.rollback()
    assert received(socket) == []
    assert INFO_KEY not in db.session().info

    # A session closed without commit forgets too (no leftover on the next commit).
    record(Ctx(db.session.get(Attempt, ctx.attempt.id), ctx.actor_id, "candidate"), "kb.searched")
    db.session.close()
    assert INFO_KEY not in db.session().info
    attempt = db.session.get(Attempt, ctx.attempt.id)
    record(Ctx(attempt, ctx.actor_id, "candidate"), "agent.logged_on")
    db.session.commit()
    assert summary(received(socket)) == [changed(["phone"])]


def test_one_changed_per_commit_with_the_union_of_topics(ctx, shift, desk, received):
    socket, trainer = desk("candidat1"), desk("formateur")
    trainer.emit("watch", {"shift_id": shift.id}, namespace="/desk")
    for verb in ("client.searched", "agent.logged_on", "message.received", "client.viewed"):
        record(ctx, verb)
    db.session.commit()
    assert summary(received(socket)) == [changed(["phone", "inbox", "crm"])]
    assert summary(received(trainer)) == [changed(["phone", "inbox", "crm"])]
    db.session.commit()  # an empty commit pushes nothing
    assert received(socket) == []


def test_a_savepoint_rolled_back_forgets_only_its_own_pushes(ctx, desk, received):
    socket = desk("candidat1")
    record(ctx, "message.sent")
    with pytest.raises(RuntimeError), db.session.begin_nested():
        record(ctx, "agent.logged_on")
        raise RuntimeError("the follow-up broke")
    assert received(socket) == []
    db.session.commit()
    assert summary(received(socket)) == [changed(["inbox"])]


def test_a_savepoint_released_pushes_at_the_outer_commit_only(ctx, desk, received):
    socket = desk("candidat1")
    with db.session.begin_nested():
        record(ctx, "agent.logged_on")
    assert received(socket) == []
    record(ctx, "message.sent")
    db.session.commit()
    assert summary(received(socket)) == [changed(["phone", "inbox"])]


def test_ring_after_an_inbound_call_is_offered(ctx, desk, received):
    socket = desk("candidat1")
    set_agent_state(ctx, "ready")
    db.session.commit()
    received(socket)
    call = offer_inbound_call(ctx, "04 99 00 00 07")
    assert received(socket) == []
    db.session.commit()
    assert summary(received(socket)) == [
        changed(["phone"]),
        ("ring", {"call_id": call.id, "number": "+33499000007", "client_id": None}),
    ]


def test_the_shift_clock_pushes_to_its_attempts(shift, other_attempt, desk, received):
    cand1, cand2, other = desk("candidat1"), desk("candidat2"), desk("formateur")
    change_shift_status(shift, "pause")
    assert received(cand1) == []
    db.session.commit()
    assert summary(received(cand1)) == [changed(["clock"])]
    assert summary(received(cand2)) == [changed(["clock"])]
    assert received(other) == []  # not watching this shift
    change_shift_status(shift, "resume")
    db.session.rollback()
    assert received(cand1) == []


def test_pushes_from_another_thread_with_its_own_session(app, attempt, people, desk, received):
    """The scheduler thread (or a CLI command) commits in its own session: same pushes."""
    socket = desk("candidat1")
    attempt_id = attempt.id
    errors = []

    def work():
        try:
            with app.app_context():
                mine = db.session.get(Attempt, attempt_id)
                record(Ctx(mine, None, "system"), "message.received")
                db.session.commit()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    db.session.commit()  # nothing pending on the test's connection
    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=30)
    assert not errors
    assert summary(received(socket)) == [changed(["inbox"])]
