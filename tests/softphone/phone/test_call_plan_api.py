"""GET /api/v1/call-plan, and dialling a call-plan number answered by its scripted customer."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from crm.campaigns.models import Campaign
from crm.contacts.agenda import PARIS
from crm.contacts.models import Contact
from crm.db import db
from softphone.phone.models import Call

PLAN_KEY = "test-plan"
SCRIPTED, SCRIPTED_E164 = "04 99 00 00 77", "+33499000077"


def scripted_entry() -> dict:
    """A call-plan entry whose customer greets, then waits for the company's name."""
    return {
        "number": SCRIPTED,
        "label": "Prospect scripté",
        "persona": {"name": "Mme Test", "temper": "calm"},
        "script": [
            {"type": "say", "say": "Société Test, j'écoute."},
            {"type": "wait_for_words", "words": ["bureau direct"]},
            {"type": "end", "say": "Au revoir."},
        ],
    }


def add_campaign(attempt, entries: list, kind: str = "outbound", key: str = PLAN_KEY):
    """An extra campaign in an attempt with this call plan (committed)."""
    campaign = Campaign(
        attempt_id=attempt.id,
        key=key,
        name="Plan de test",
        kind=kind,
        qualification_codes=["OCCUPE"],
        settings={"call_plan": entries},
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign


def plan_of(body: dict, key: str = PLAN_KEY) -> dict | None:
    """The campaign `key` in a GET /call-plan answer."""
    return next((c for c in body["campaigns"] if c["key"] == key), None)


def error(response, status: int) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


@pytest.fixture
def cand(api, shift, clock):
    """cand1's API client (running shift, fixed clock on a working Tuesday 11:00)."""
    return api.as_("candidat1")


def test_refusals(api, shift, people):
    assert error(api.get("/call-plan"), 401)["code"] == "unauthorized"
    assert error(api.as_("formateur").get("/call-plan"), 403)["code"] == "forbidden"
    assert error(api.as_("jury").get("/call-plan"), 403)["code"] == "forbidden"
    assert error(api.as_("candidat3").get("/call-plan"), 404)["code"] == "no_attempt"


def test_entries_with_client_history_and_verdict(cand, attempt, make_client, clock):
    client = make_client(attempt, "04 99 00 00 01", number="T00001", company_name=None)
    entries = [
        {"number": "04 99 00 00 01", "client": "T00001", "label": "Client connu"},
        scripted_entry(),
    ]
    add_campaign(attempt, entries)
    before = clock.now - timedelta(days=2)
    db.session.add_all(
        [
            Contact(
                attempt_id=attempt.id,
                client_id=client.id,
                channel="phone",
                direction="outbound",
                party="0499000001",
                started_at=before - timedelta(days=1),
                code="ABSENT",
                qualified_at=before - timedelta(days=1),
            ),
            Contact(
                attempt_id=attempt.id,
                client_id=client.id,
                channel="phone",
                direction="outbound",
                party="+33499000001",
                started_at=before,
                code="OCCUPE",
                qualified_at=before,
            ),
            # Older than 30 days: not an attempt any more.
            Contact(
                attempt_id=attempt.id,
                client_id=client.id,
                channel="phone",
                direction="outbound",
                party="+33499000001",
                started_at=clock.now - timedelta(days=45),
                code="ABSENT",
                qualified_at=clock.now - timedelta(days=45),
            ),
        ]
    )
    db.session.commit()
    plan = plan_of(cand.get("/call-plan").get_json())
    assert plan["name"] == "Plan de test"
    known, scripted = plan["entries"]
    assert known["number"] == "+33499000001" and known["label"] == "Client connu"
    assert known["client"] == {"id": client.id, "number": "T00001", "name": "Claire Lemoine"}
    assert (known["attempts"], known["last_outcome"]) == (2, "OCCUPE")
    assert known["breaches"] == [] and known["severe"] is False
    assert known["scripted"] is False
    assert scripted["number"] == SCRIPTED_E164 and scripted["client"] is None
    assert (scripted["attempts"], scripted["last_outcome"]) == (0, None)
    assert scripted["scripted"] is True


def test_verdict_is_the_dials(cand, attempt, make_client, clock):
    client = make_client(attempt, "04 99 00 00 01", number="T00001")
    add_campaign(attempt, [{"number": "04 99 00 00 01"}, scripted_entry()])
    clock.set(datetime.combine(clock.now.astimezone(PARIS).date(), time(13, 15), PARIS))
    entries = plan_of(cand.get("/call-plan").get_json())["entries"]
    assert [b["rule"] for b in entries[1]["breaches"]] == ["calling_window"]
    assert entries[1]["severe"] is False
    client.do_not_call = True
    db.session.commit()
    entry = plan_of(cand.get("/call-plan").get_json())["entries"][0]
    assert entry["client"]["id"] == client.id  # found by its number, like the dial does
    assert entry["severe"] is True
    assert "do_not_call" in [b["rule"] for b in entry["breaches"]]


def test_only_outbound_campaigns_of_the_callers_attempt(cand, attempt, other_attempt):
    add_campaign(attempt, [scripted_entry()], kind="inbound", key="entrant")
    add_campaign(other_attempt, [scripted_entry()], key="autre")
    body = cand.get("/call-plan").get_json()
    assert plan_of(body, "entrant") is None and plan_of(body, "autre") is None
    assert all(c["entries"] for c in body["campaigns"])
    assert "checked_at" in body


def test_the_default_scenario_has_a_call_plan(cand):
    campaigns = cand.get("/call-plan").get_json()["campaigns"]
    entries = [e for c in campaigns for e in c["entries"]]
    assert len(entries) >= 10
    assert any(e["severe"] for e in entries)  # the do-not-call client


def test_dialling_a_plan_number_plays_its_script(cand, attempt):
    add_campaign(attempt, [scripted_entry()])
    cand.post("/phone/state", {"state": "ready"})
    response = cand.post("/calls", {"number": SCRIPTED})
    assert response.status_code == 201, response.get_json()
    call = response.get_json()
    assert call["scripted"] is True and call["script"] == f"{PLAN_KEY}-1"
    said = [t["text"] for t in call["transcript"] if t["speaker"] == "customer"]
    assert said == ["Société Test, j'écoute."]
    assert db.session.get(Call, call["id"]).customer_state["script"]["persona"]["name"] == (
        "Mme Test"
    )


def test_dialling_a_number_outside_the_plans_has_no_script(cand, attempt):
    add_campaign(attempt, [scripted_entry()])
    cand.post("/phone/state", {"state": "ready"})
    response = cand.post("/calls", {"number": "04 99 00 00 78"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["scripted"] is False
    assert response.get_json()["transcript"] == []
