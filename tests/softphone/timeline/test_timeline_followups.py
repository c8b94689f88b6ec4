"""Several replies to every scripted correspondent of every pack: each is answered, none fails.

For each written timeline item with a script (email, SMS, chat) of every pack in
`seed_data/scenarios/`, the candidate replies through the API at least four times — first with
the words each step waits for, then past the end of the script. Every send is answered 201 and
recorded; the customer's answers (those a bare engine gives for the same turns) arrive in order;
every queued answer has its own key and fires once.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.config import Config
from crm.db import db
from crm.training.library import load_scenario
from crm.training.services import change_shift_status, create_shift
from crm.training.timeline import TimelineEvent
from crm.yaml_text import load_yaml
from softphone.inbox.models import Conversation
from softphone.scenarios import correspondent
from softphone.scenarios.engine import Engine
from softphone.scenarios.scheduler import tick
from softphone.scenarios.timeline import item_script

REPLIES = 4
FILLER = "Je reste à votre disposition pour toute autre question."


def _correspondents() -> list[tuple[str, str]]:
    """(pack slug, item key) of every scripted written item of every pack of the library."""
    found = []
    for path in sorted(Path(Config.SCENARIO_DIR).glob("*.yaml")):
        data = load_yaml(path.read_text(encoding="utf-8"))
        for item in data.get("timeline") or []:
            if item["kind"] != "call" and item.get("script"):
                found.append((path.stem, item["key"]))
    assert found, "no scripted correspondent in the library"
    return found


def _turns(script: dict) -> list[str]:
    """What the candidate writes: the words of each waiting step, then fillers."""
    turns = [f"Bonjour, {s['words'][0]}." for s in script["steps"] if s.get("words")]
    return turns + [FILLER] * max(0, REPLIES - len(turns))


def _expected_lines(script: dict, turns: list[str], tl) -> list[str]:
    """The customer's lines a bare engine answers to these turns (the opening excluded)."""
    engine = Engine(script, lambda: tl.T0)
    engine.start()
    lines = []
    for text in turns:
        lines += engine.on_said(text).lines
    return lines


def _waits_only_for_actions(script: dict) -> bool:
    """Whether every step of the script waits for an action of the candidate (or ends it)."""
    return all(step["type"] in ("wait_for_action", "end") for step in script["steps"])


def _is_subsequence(wanted: list[str], seen: list[str]) -> bool:
    remaining = iter(seen)
    return all(any(w in s for s in remaining) for w in wanted)


@pytest.fixture
def pack_attempt(people, clock, tl, request):
    """cand1's attempt in a shift on the pack, running since T0, with only the item left."""
    slug, key = request.param
    shift = create_shift(slug, [people["cand1"]], created_by=people["trainer"])
    change_shift_status(shift, "start", now=tl.T0)
    db.session.commit()
    item = next(i for i in load_scenario(slug)["timeline"] if i["key"] == key)
    attempt = shift.attempts[0]
    tl.only_events(attempt, {**item, "at": "+00:10"})
    return attempt, item


@pytest.mark.parametrize("pack_attempt", _correspondents(), indirect=True, ids="/".join)
def test_every_correspondent_answers_reply_after_reply(pack_attempt, api, clock, tl):
    attempt, item = pack_attempt
    assert tick(clock.at("+00:10")).fired == [item["key"]]
    event = db.session.scalar(sa.select(TimelineEvent).where(TimelineEvent.key == item["key"]))
    conversation_id = event.result["conversation_id"]
    candidate = api.as_("candidat1")
    script = item_script(item, item["key"])
    turns = _turns(script)
    for text in turns:
        clock.advance(60)
        response = candidate.post(f"/conversations/{conversation_id}/reply", {"body": text})
        assert response.status_code == 201, response.get_json()
        # Deliver what the customer queued, at its time.
        while True:
            due = db.session.scalar(
                sa.select(sa.func.min(TimelineEvent.fire_offset_seconds)).where(
                    TimelineEvent.attempt_id == attempt.id, TimelineEvent.fired_at.is_(None)
                )
            )
            if due is None:
                break
            clock.now = max(clock.now, tl.T0 + timedelta(seconds=due))
            assert tick(clock.now).failed == []
    db.session.expire_all()
    sent = db.session.scalars(
        sa.select(Action.payload).where(
            Action.attempt_id == attempt.id, Action.verb == "message.sent"
        )
    ).all()
    assert [p["body"] for p in sent] == turns
    conversation = db.session.get(Conversation, conversation_id)
    bodies = [m.body for m in conversation.messages if m.direction == "in"]
    expected = _expected_lines(script, turns, tl)
    # A correspondent who only waits for actions (a cancellation confirmed…) answers no reply.
    assert expected or _waits_only_for_actions(script), script
    assert _is_subsequence(expected, bodies[1:]), (expected, bodies)
    replies = db.session.scalars(
        sa.select(TimelineEvent).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.kind == "reply"
        )
    ).all()
    assert all(r.fired_at is not None and r.result["status"] == "received" for r in replies)
    assert len({r.key for r in replies}) == len(replies)


CHAT = {
    "key": "chat-panne",
    "at": "+00:10",
    "kind": "chat",
    "from": "lea.girard@gmail.example",
    "body": "Bonjour ! Vous avez des micro-casques ?",
    "persona": {"name": "Léa Girard", "temper": "calm"},
    "nudge_after": 30,
    "script": [
        {"type": "wait_for_words", "words": ["bluetooth"], "reply": "Le Bluetooth !"},
        {"type": "end", "say": "Merci."},
    ],
}
EMAIL = {
    "key": "mail-voisin",
    "at": "+03:00",
    "kind": "email",
    "from": "contact@cabinet-morel.example",
    "subject": "Question",
    "body": "Bonjour, une question.",
}


def _failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]


def test_the_send_stands_when_the_customers_follow_up_breaks(
    quiet, attempt, api, clock, tl, monkeypatch, caplog
):
    (event,) = tl.only_events(attempt, CHAT)
    tick(clock.at("+00:10"))
    db.session.refresh(event)
    conversation_id = event.result["conversation_id"]

    def broken(*_args, **_kwargs):
        raise RuntimeError("follow-up broken")

    monkeypatch.setattr(correspondent, "_queue", broken)
    candidate = api.as_("candidat1")
    for text in ("Un casque bluetooth ?", "Toujours là ?"):
        response = candidate.post(f"/conversations/{conversation_id}/reply", {"body": text})
        assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    sent = db.session.scalars(
        sa.select(Action.payload).where(
            Action.attempt_id == attempt.id, Action.verb == "message.sent"
        )
    ).all()
    assert [p["body"] for p in sent] == ["Un casque bluetooth ?", "Toujours là ?"]
    state = db.session.get(TimelineEvent, event.id).customer_state
    assert state["failed"] == "RuntimeError: follow-up broken"
    # Logged once: the failed correspondent is left alone afterwards, nudges included.
    assert _failures(caplog) == ["scripted correspondent chat-panne failed; it falls silent"]
    tick(clock.at("+05:00"))
    assert len(_failures(caplog)) == 1


def test_a_broken_correspondent_fails_once_and_the_others_go_on(
    quiet, attempt, clock, tl, monkeypatch, caplog
):
    chat, _ = tl.only_events(attempt, CHAT, EMAIL)
    tick(clock.at("+00:10"))

    def broken(self):
        raise RuntimeError("nudge broken")

    monkeypatch.setattr(Engine, "on_tick", broken)
    for offset in ("+01:00", "+01:30", "+02:00", "+02:30"):
        assert tick(clock.at(offset)).failed == []
    assert len(_failures(caplog)) == 1
    assert _failures(caplog)[0].startswith(f"scenario correspondent {chat.id} failed")
    db.session.refresh(chat)
    assert chat.customer_state["failed"] == "RuntimeError: nudge broken"
    assert tick(clock.at("+03:00")).fired == ["mail-voisin"]
    assert len(_failures(caplog)) == 1
