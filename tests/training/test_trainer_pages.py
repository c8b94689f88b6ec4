"""Trainer pages: shifts list, open a shift, reset with confirmation; evaluator timeline."""

from __future__ import annotations

import sqlalchemy as sa

from crm.extensions import db
from crm.training.models import Attempt, Shift


def test_shifts_page_lists_attempts_with_reset_and_confirmation(client, login, shift):
    login("formateur")
    html = client.get("/shifts/").get_data(as_text=True)
    assert shift.name in html and "candidat1" in html
    assert "Réinitialiser" in html and "data-confirm" in html


def test_evaluator_sees_shifts_but_no_reset(client, login, shift, csrf_from):
    login("jury")
    html = client.get("/shifts/").get_data(as_text=True)
    assert "Chronologie" in html and "Réinitialiser" not in html
    response = client.post(
        f"/shifts/attempts/{shift.attempts[0].id}/reset", data={"csrf_token": csrf_from(html)}
    )
    assert response.status_code == 403


def test_reset_from_the_page(client, login, shift, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    old = shift.attempts[0]
    response = client.post(
        f"/shifts/attempts/{old.id}/reset",
        data={"csrf_token": csrf_from(page)},
        follow_redirects=True,
    )
    assert "réinitialisée" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attempt, old.id).status == "superseded"


def test_reset_without_csrf_changes_nothing(client, login, shift):
    login("formateur")
    client.post(f"/shifts/attempts/{shift.attempts[0].id}/reset", data={})
    db.session.expire_all()
    assert db.session.get(Attempt, shift.attempts[0].id).status == "active"


def test_open_a_shift_from_the_page(client, login, people, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    response = client.post(
        "/shifts/new",
        data={
            "csrf_token": csrf_from(page),
            "name": "Groupe B",
            "scenario": "bureau-direct",
            "candidates": [people["cand3"].id],
            "mode": "scripted",
        },
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Shift).where(Shift.name == "Groupe B")) is not None


def test_shift_form_refusal_is_french_and_keeps_the_name(client, login, people, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    response = client.post(
        "/shifts/new",
        data={
            "csrf_token": csrf_from(page),
            "name": "Groupe C",
            "scenario": "bureau-direct",
            "mode": "scripted",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choisissez au moins un candidat" in html and 'value="Groupe C"' in html


def test_shift_status_buttons(client, login, shift, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    client.post(f"/shifts/{shift.id}/pause", data={"csrf_token": csrf_from(page)})
    db.session.expire_all()
    assert db.session.get(Shift, shift.id).status == "paused"
    response = client.post(
        f"/shifts/{shift.id}/pause", data={"csrf_token": csrf_from(page)}, follow_redirects=True
    )
    assert "impossible" in response.get_data(as_text=True)


def test_timeline_shows_actions_and_chain_status(client, login, attempt):
    login("jury")
    html = client.get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert "Journal intègre" in html and "attempt.started" in html
    filtered = client.get(f"/attempts/{attempt.id}/timeline?family=order").get_data(as_text=True)
    assert "Aucune action" in filtered
    assert client.get("/attempts/999/timeline").status_code == 404
