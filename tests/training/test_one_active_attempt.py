"""A candidate has at most one active attempt: ending a shift closes its attempts, a second
shift for a busy candidate is refused (service, API, page), and the database enforces it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.errors import InvalidTransition, next_status
from crm.extensions import db
from crm.training.models import Attempt, Shift
from crm.training.services import (
    CandidateBusy,
    add_candidate,
    change_shift_status,
    create_shift,
    current_attempt,
    reset_attempt,
)
from crm.training.states import ATTEMPT_STATUSES, ATTEMPT_TRANSITIONS

ALLOWED = {("active", "reset"): "superseded", ("active", "close"): "closed"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _active(candidate) -> list[int]:
    return db.session.scalars(
        sa.select(Attempt.id).where(
            Attempt.candidate_id == candidate.id, Attempt.status == "active"
        )
    ).all()


@pytest.mark.parametrize("status", ATTEMPT_STATUSES)
@pytest.mark.parametrize("event", sorted(ATTEMPT_TRANSITIONS))
def test_attempt_transition(status, event):
    expected = ALLOWED.get((status, event))
    if expected:
        assert next_status(ATTEMPT_TRANSITIONS, "attempt", status, event) == expected
    else:
        with pytest.raises(InvalidTransition):
            next_status(ATTEMPT_TRANSITIONS, "attempt", status, event)


# --- Service ---------------------------------------------------------------------------------


def test_ending_a_shift_closes_its_attempts_and_logs_it(shift, attempt, people):
    change_shift_status(shift, "end", actor=people["trainer"])
    db.session.commit()
    assert attempt.status == "closed"
    assert current_attempt(people["cand1"]) is None
    closed = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "attempt.closed")
    ).one()
    assert closed.actor_id == people["trainer"].id
    assert closed.payload == {"shift_id": shift.id, "reason": "shift_ended"}
    with pytest.raises(InvalidTransition):
        reset_attempt(attempt, people["trainer"])


def test_a_busy_candidate_gets_no_second_shift_and_nothing_is_created(shift, people):
    shifts, attempts, actions = _count(Shift), _count(Attempt), _count(Action)
    with pytest.raises(CandidateBusy) as refused:
        create_shift("bureau-direct", [people["cand3"], people["cand1"]], name="Groupe B")
    db.session.rollback()
    error = refused.value
    assert error.status == 409 and error.code == "candidate_busy"
    assert "candidat1" in error.fields["candidate_ids"]
    assert "candidat3" not in error.message
    assert error.details["candidates"] == [
        {
            "id": people["cand1"].id,
            "username": "candidat1",
            "attempt_id": shift.attempts[0].id,
            "shift_id": shift.id,
        }
    ]
    assert (_count(Shift), _count(Attempt), _count(Action)) == (shifts, attempts, actions)


def test_after_the_end_the_candidate_opens_a_new_shift_with_one_active_attempt(shift, people):
    change_shift_status(shift, "end")
    db.session.commit()
    second = create_shift("bureau-direct", [people["cand1"]])
    change_shift_status(second, "start")
    db.session.commit()
    assert _active(people["cand1"]) == [second.attempts[0].id]
    assert current_attempt(people["cand1"]).shift_id == second.id


def test_a_late_candidate_busy_elsewhere_is_refused(shift, people):
    other = create_shift("bureau-direct", [people["cand2"]])
    db.session.commit()
    with pytest.raises(CandidateBusy) as refused:
        add_candidate(other, people["cand1"])
    assert "candidate_id" in refused.value.fields


def test_reset_keeps_one_active_attempt(attempt, people):
    new = reset_attempt(attempt, people["trainer"])
    db.session.commit()
    assert _active(people["cand1"]) == [new.id]


def test_a_race_past_the_check_is_refused_by_the_index_the_same_way(shift, people, monkeypatch):
    import crm.training.services as services

    # As if a concurrent request had given cand1 their attempt just after our check.
    monkeypatch.setattr(services, "_refuse_busy", lambda *_args: None)
    shifts = _count(Shift)
    with pytest.raises(CandidateBusy) as refused:
        create_shift("bureau-direct", [people["cand1"]])
    db.session.rollback()
    assert "candidat1" in refused.value.fields["candidate_ids"]
    assert _count(Shift) == shifts


def test_ending_closes_an_attempt_added_after_the_shift_was_loaded(shift, other_attempt, people):
    change_shift_status(shift, "end")
    db.session.commit()
    assert {a.status for a in shift.attempts} == {"closed"}
    assert other_attempt.status == "closed"


def test_the_database_refuses_a_second_active_attempt(shift, people):
    other = Shift(name="Autre", scenario="bureau-direct")
    db.session.add(other)
    db.session.flush()
    db.session.add(
        Attempt(shift_id=other.id, candidate_id=people["cand1"].id, world_date=date(2026, 12, 7))
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- API -------------------------------------------------------------------------------------


def test_api_refuses_a_shift_for_a_busy_candidate(api, shift, people):
    trainer = api.as_("formateur")
    shifts = _count(Shift)
    response = trainer.post(
        "/shifts",
        {"scenario": "bureau-direct", "candidate_ids": [people["cand1"].id], "name": "Groupe B"},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "candidate_busy"
    assert "candidat1" in error["fields"]["candidate_ids"]
    assert error["candidates"][0]["attempt_id"] == shift.attempts[0].id
    assert _count(Shift) == shifts


def test_api_end_closes_attempts_then_a_new_shift_is_accepted(api, shift, people):
    trainer = api.as_("formateur")
    ended = trainer.post(f"/shifts/{shift.id}/end").get_json()
    assert [a["status"] for a in ended["attempts"]] == ["closed"]
    response = trainer.post(
        "/shifts", {"scenario": "bureau-direct", "candidate_ids": [people["cand1"].id]}
    )
    assert response.status_code == 201
    assert [a["status"] for a in response.get_json()["attempts"]] == ["active"]


def test_api_refuses_a_late_candidate_busy_elsewhere(api, shift, people):
    trainer = api.as_("formateur")
    other = trainer.post(
        "/shifts", {"scenario": "bureau-direct", "candidate_ids": [people["cand2"].id]}
    ).get_json()
    response = trainer.post(
        f"/shifts/{other['id']}/candidates", {"candidate_id": people["cand1"].id}
    )
    assert response.status_code == 409
    assert "candidat1" in response.get_json()["error"]["fields"]["candidate_id"]


# --- Page ------------------------------------------------------------------------------------


def test_page_refuses_a_busy_candidate_in_french_and_creates_nothing(
    client, login, shift, people, csrf_from
):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    shifts = _count(Shift)
    response = client.post(
        "/shifts/new",
        data={
            "csrf_token": csrf_from(page),
            "name": "Groupe B",
            "scenario": "bureau-direct",
            "candidates": [people["cand1"].id, people["cand3"].id],
            "mode": "scripted",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Candidat1 (candidat1) a déjà une tentative en cours" in html
    assert 'value="Groupe B"' in html
    assert _count(Shift) == shifts


def test_page_shows_the_attempts_of_an_ended_shift_as_finished(client, login, shift, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    client.post(f"/shifts/{shift.id}/end", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Attempt, shift.attempts[0].id).status == "closed"
    row = (
        client.get("/shifts/")
        .get_data(as_text=True)
        .split(f'id="attempt-{shift.attempts[0].id}"')[1]
    )
    row = row.split("</tr>")[0]
    assert "terminée" in row and "en cours" not in row and "Réinitialiser" not in row
