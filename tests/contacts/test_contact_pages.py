"""Contact pages: open from the file, the banner on every page, qualify, callback, appointment."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock
from crm.contacts.models import Appointment, Callback, Contact
from crm.db import db


@pytest.fixture
def browser(login, world):
    """The test client logged in as cand1."""
    return login("candidat1")


def _open_from_file(browser, csrf_from, client):
    page = browser.get(f"/clients/{client.id}").get_data(as_text=True)
    response = browser.post(
        "/contacts/open",
        data={
            "csrf_token": csrf_from(page),
            "client_id": client.id,
            "channel": "phone",
            "direction": "inbound",
            "subject": "Question facture",
        },
    )
    assert response.status_code == 302
    return db.session.scalars(db.select(Contact).order_by(Contact.id.desc())).first()


def test_open_a_contact_shows_the_banner_everywhere_until_qualified(browser, world, csrf_from, log):
    consumer = world["consumer"]
    contact = _open_from_file(browser, csrf_from, consumer)
    assert contact.client_id == consumer.id and contact.subject == "Question facture"
    for url in ("/clients", "/knowledge", f"/clients/{world['company'].id}"):
        html = browser.get(url).get_data(as_text=True)
        assert 'id="open-contact-banner"' in html, url
        assert "Contact en cours avec" in html and consumer.last_name in html
        assert f"/contacts/{contact.id}/qualify" in html

    page = browser.get(f"/contacts/{contact.id}/qualify").get_data(as_text=True)
    refused = browser.post(
        f"/contacts/{contact.id}/qualify",
        data={"csrf_token": csrf_from(page), "code": "T-RAPPEL", "note": "Rappel prévu"},
        follow_redirects=True,
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "programmez d&#39;abord le rappel" in html or "programmez d'abord le rappel" in html
    assert "Rappel prévu" in html  # the note typed is kept
    done = browser.post(
        f"/contacts/{contact.id}/qualify",
        data={"csrf_token": csrf_from(page), "code": "T-VENTE", "note": "Commande passée"},
    )
    assert done.status_code == 302
    assert 'id="open-contact-banner"' not in browser.get("/clients").get_data(as_text=True)
    assert [v for v in log.verbs() if v.startswith("contact.")] == [
        "contact.opened",
        "contact.qualified",
    ]


def test_a_second_contact_is_refused_with_a_message(browser, world, csrf_from):
    _open_from_file(browser, csrf_from, world["consumer"])
    page = browser.get(f"/clients/{world['company'].id}").get_data(as_text=True)
    assert "Un autre contact est en cours" in page
    response = browser.post(
        "/contacts/open",
        data={
            "csrf_token": csrf_from(page),
            "client_id": world["company"].id,
            "channel": "email",
            "direction": "inbound",
        },
        follow_redirects=True,
    )
    assert "qualifiez-le avant" in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            db.select(db.func.count(Contact.id)).where(
                Contact.qualified_at.is_(None), Contact.historical.is_(False)
            )
        )
        == 1
    )


def test_callback_page(browser, world, csrf_from, when, log):
    consumer = world["consumer"]
    page = browser.get(f"/clients/{consumer.id}/callback").get_data(as_text=True)
    assert "de 10 h à 13 h" in page
    late = when(21).strftime("%Y-%m-%dT%H:%M")
    refused = browser.post(
        f"/clients/{consumer.id}/callback",
        data={"csrf_token": csrf_from(page), "due_at": late, "reason": "Rappel du soir"},
        follow_redirects=True,
    )
    assert refused.status_code == 422
    assert "lundi au vendredi" in refused.get_data(as_text=True)
    assert f'value="{late}"' in refused.get_data(as_text=True)
    assert log.verbs() == []
    good = when(11).strftime("%Y-%m-%dT%H:%M")
    done = browser.post(
        f"/clients/{consumer.id}/callback",
        data={"csrf_token": csrf_from(page), "due_at": good, "reason": "Rappel du matin"},
    )
    assert done.status_code == 302
    newest = db.select(Callback.reason).order_by(Callback.id.desc()).limit(1)
    assert db.session.scalar(newest) == "Rappel du matin"
    assert log.verbs() == ["callback.scheduled"]


def test_appointment_page_lists_slots_and_books(browser, world, csrf_from, when, log):
    company = world["company"]
    page = browser.get(f"/clients/{company.id}/appointment").get_data(as_text=True)
    assert "Rep Test" in page and 'id="rep-rep-test"' in page
    start = when(10).strftime("%Y-%m-%dT%H:%M")
    prefilled = browser.get(
        f"/clients/{company.id}/appointment?rep=rep-test&starts_at={start}"
    ).get_data(as_text=True)
    assert f'value="{start}"' in prefilled
    data = {"csrf_token": csrf_from(page), "rep": "rep-test", "starts_at": start, "topic": "Démo"}
    assert browser.post(f"/clients/{company.id}/appointment", data=data).status_code == 302
    taken = browser.post(f"/clients/{company.id}/appointment", data=data, follow_redirects=True)
    assert taken.status_code == 409
    assert "déjà pris" in taken.get_data(as_text=True)
    assert (
        db.session.scalar(
            db.select(db.func.count(Appointment.id)).where(Appointment.client_id == company.id)
        )
        == 1
    )
    assert log.verbs() == ["appointment.booked"]


def test_foreign_ids_are_404_pages(browser, world, foreign):
    assert browser.get(f"/clients/{foreign.id}/callback").status_code == 404
    assert browser.get(f"/clients/{foreign.id}/appointment").status_code == 404
    assert browser.get("/contacts/999999/qualify").status_code == 404


def test_the_file_says_each_callback_s_state_as_the_desk_does(browser, world, ctx):
    consumer = world["consumer"]
    now = clock.now()
    for reason, due_at in (
        ("En retard", now - timedelta(hours=3)),
        ("Demain", now + timedelta(days=1)),
    ):
        db.session.add(
            Callback(attempt_id=ctx.attempt.id, client_id=consumer.id, due_at=due_at, reason=reason)
        )
    db.session.commit()
    html = browser.get(f"/clients/{consumer.id}").get_data(as_text=True)
    # A pending callback three hours late is « en retard » here too, not a bare « à faire ».
    late, tomorrow = db.session.scalars(db.select(Callback.id).order_by(Callback.id)).all()[-2:]
    assert f'id="callback-state-{late}">en retard<' in html
    assert f'id="callback-state-{tomorrow}">à venir<' in html
