"""The whole default shift played over the API, as a candidate would, beat by beat.

The scenario clock runs from the start of the shift to its 45th minute (a fake clock, the real
scheduler `tick`). At every beat the candidate takes what is there: answers the ringing call,
speaks, hangs up and qualifies; answers and qualifies each new written conversation; between
inbound contacts, works the outbound call plan. At the end every timeline event has fired, every
contact is qualified, every call's transcript holds both sides, and the log's chain verifies.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

import sqlalchemy as sa

import crm.clock
from crm.actionlog.models import Action
from crm.actionlog.services import verify_chain
from crm.contacts.agenda import PARIS
from crm.contacts.models import Contact
from crm.db import db
from crm.training.timeline import TimelineEvent
from softphone.phone.holidays import holiday_name
from softphone.phone.models import Call
from softphone.scenarios.scheduler import tick

#: One beat of the shift: the candidate looks at the desk this often.
BEAT = timedelta(seconds=10)
SHIFT_LENGTH = timedelta(minutes=45)
#: Outbound dials are spaced out so the inbound calls find the candidate ready.
DIAL_EVERY = timedelta(minutes=2)


class Clock:
    """The phone's and the scenario's clock, moved by the test."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _working_tuesday_10h() -> datetime:
    """10:00 Paris on the last working Tuesday: the shift stays inside the calling windows."""
    day = crm.clock.now().astimezone(PARIS).date() - timedelta(days=1)
    while day.weekday() != 1 or holiday_name(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 0), PARIS)


class Candidate:
    """A diligent candidate working through the API."""

    def __init__(self, api):
        self.api = api
        self.handled_conversations: set[int] = set()
        self.dialled: list[str] = []

    def ok(self, response, status=200):
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def qualify_contact(self, contact_id: int, code: str, note: str) -> None:
        self.ok(self.api.post(f"/contacts/{contact_id}/qualify", {"code": code, "note": note}))

    def finish_call(self, call: dict, code: str) -> None:
        if call["status"] not in ("ended", "abandoned", "transferred"):
            self.ok(self.api.post(f"/calls/{call['id']}/hangup"))
        self.qualify_contact(call["contact_id"], code, "Demande traitée pendant l'appel.")
        # Qualifying ends the after-call work: the agent is ready for the next call.
        assert self.ok(self.api.get("/phone"))["state"] == "ready"

    def take_ringing_call(self) -> bool:
        phone = self.ok(self.api.get("/phone"))
        call = phone.get("call")
        if phone["state"] != "ringing" or not call:
            return False
        call = self.ok(self.api.post(f"/calls/{call['id']}/answer"))
        self.ok(self.api.post(f"/calls/{call['id']}/say", {"text": GREETING}))
        self.finish_call(self.ok(self.api.get(f"/calls/{call['id']}")), "INFO")
        return True

    def answer_written(self) -> None:
        for conversation in self.ok(self.api.get("/inbox", status="open", limit=100))["items"]:
            if conversation["id"] in self.handled_conversations:
                continue
            base = f"/conversations/{conversation['id']}"
            self.ok(self.api.get(base))
            self.ok(self.api.post(f"{base}/reply", {"body": WRITTEN_REPLY}), 201)
            self.ok(self.api.post(f"{base}/qualify", {"code": "INFO", "note": "Réponse donnée."}))
            self.handled_conversations.add(conversation["id"])

    def dial_next(self, plan: list[str]) -> None:
        number = next((n for n in plan if n not in self.dialled), None)
        if number is None or self.ok(self.api.get("/phone"))["state"] != "ready":
            return
        self.dialled.append(number)
        body = {"number": number, "acknowledge_rules": True}
        call = self.ok(self.api.post("/calls", body), 201)
        if call["status"] == "on_call":  # some hang up at once (the do-not-call client)
            self.ok(self.api.post(f"/calls/{call['id']}/say", {"text": OPENING}))
        self.finish_call(self.ok(self.api.get(f"/calls/{call['id']}")), "ABSENT")


GREETING = "Bureau Direct bonjour, Camille à votre écoute. Que puis-je faire pour vous ?"
OPENING = "Bonjour, Camille de Bureau Direct : je vous appelle au sujet de vos fournitures."
WRITTEN_REPLY = "Bonjour, merci de votre message : nous revenons vers vous très vite."


def test_the_default_shift_can_be_played_to_the_end(app, api, attempt, shift):
    start = _working_tuesday_10h()
    clock = Clock(start)
    app.config["CLOCK"] = clock
    shift.started_at = start
    db.session.commit()
    candidate = Candidate(api.as_("candidat1"))
    candidate.ok(candidate.api.post("/phone/state", {"state": "ready"}))
    plan = [
        entry["number"]
        for campaign in candidate.ok(candidate.api.get("/call-plan"))["campaigns"]
        for entry in campaign["entries"]
    ]
    assert len(plan) >= 10
    failed, last_dial = [], start - DIAL_EVERY
    while clock.now <= start + SHIFT_LENGTH:
        failed += tick(clock.now).failed
        took_call = candidate.take_ringing_call()
        candidate.answer_written()
        if not took_call and clock.now - last_dial >= DIAL_EVERY:
            candidate.dial_next(plan)
            last_dial = clock.now
        clock.now += BEAT

    assert failed == []
    pending = db.session.scalars(
        sa.select(TimelineEvent.key).where(
            TimelineEvent.attempt_id == attempt.id, TimelineEvent.fired_at.is_(None)
        )
    ).all()
    assert pending == [], "timeline events that never fired"

    contacts = db.session.scalars(sa.select(Contact).where(Contact.attempt_id == attempt.id)).all()
    channels = {c.channel for c in contacts}
    assert {"phone", "email", "sms", "chat"} <= channels
    assert [c.id for c in contacts if c.qualified_at is None] == []
    assert sum(c.direction == "outbound" for c in contacts) >= 10

    calls = db.session.scalars(sa.select(Call).where(Call.attempt_id == attempt.id)).all()
    answered = [c for c in calls if c.contact_id is not None]
    assert sum(c.direction == "inbound" for c in answered) >= 6
    said = Counter(
        a.interaction_id
        for a in db.session.scalars(
            sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "call.said")
        )
    )
    for call in answered:
        transcript = candidate.ok(candidate.api.get(f"/calls/{call.id}"))["transcript"]
        speakers = Counter(turn["speaker"] for turn in transcript)
        assert speakers["customer"] >= 1, (call.id, transcript)
        assert speakers["agent"] == said[call.contact_id], (call.id, transcript)

    assert verify_chain(attempt).valid
