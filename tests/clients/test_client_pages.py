"""Client pages: search by phone, open the file, edit (refused and accepted), new prospect."""

from __future__ import annotations

import re

import pytest

from crm import clock
from crm.clients.models import Client
from crm.db import db


@pytest.fixture
def browser(login, shift):
    """The test client logged in as cand1."""
    return login("candidat1")


def test_home_search_by_a_phone_typed_with_dots(browser, dupre, foreign, log):
    page = browser.get("/clients?q=04.78.12.34.56")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/clients/{dupre.id}"' in html
    assert f'href="/clients/{foreign.id}"' not in html
    assert "1 fiche trouvée" in html
    assert log.verbs() == ["client.searched"]


def test_empty_home_records_nothing(browser, log):
    page = browser.get("/clients")
    assert page.status_code == 200
    assert "Rechercher un client" in page.get_data(as_text=True)
    assert log.verbs() == []


def test_open_the_file_shows_tabs_gatekeeper_and_credit(browser, atelier, log):
    page = browser.get(f"/clients/{atelier.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for tab in ("Fiche", "Commandes", "Factures", "Contacts", "Réclamations", "Rendez-vous"):
        assert tab in html
    assert "barrage" in html and "Rodolphe Béranger" in html
    assert "Plafond d&#39;encours" in html or "Plafond d'encours" in html
    assert 'id="open-contact-form"' in html
    assert log.verbs() == ["client.viewed"]


def test_the_file_warns_when_the_credit_limit_is_exceeded(browser, atelier):
    from datetime import timedelta
    from decimal import Decimal

    from crm.payments.models import Invoice

    today = clock.today()
    db.session.add(
        Invoice(
            attempt_id=atelier.attempt_id,
            number="FA-T-1",
            client_id=atelier.id,
            issued_on=today - timedelta(days=40),
            due_on=today - timedelta(days=10),
            amount=Decimal("1200.00"),
        )
    )
    db.session.commit()
    html = browser.get(f"/clients/{atelier.id}").get_data(as_text=True)
    assert "Encours dépassé" in html
    assert "échue impayée" in html


def test_another_attempts_file_is_a_404_page(browser, foreign, log):
    assert browser.get(f"/clients/{foreign.id}").status_code == 404
    assert browser.get(f"/clients/{foreign.id}/edit").status_code == 404
    assert log.verbs() == []


def test_edit_with_a_bad_email_keeps_what_was_typed_and_saves_nothing(
    browser, dupre, csrf_from, log
):
    form = browser.get(f"/clients/{dupre.id}/edit").get_data(as_text=True)
    response = browser.post(
        f"/clients/{dupre.id}/edit",
        data={
            "csrf_token": csrf_from(form),
            "title": "Mme",
            "first_name": "Éloïse",
            "last_name": "Dupré-Lefèvre",
            "email": "eloise-at-exemple",
            "phones": "04 78 12 34 56\n06 55 44 33 22",
            "street": "3 place Bellecour",
            "postcode": "69002",
            "city": "Lyon",
            "consent_email": "y",
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Adresse e-mail invalide" in html
    assert 'value="eloise-at-exemple"' in html
    assert 'value="3 place Bellecour"' in html
    assert "06 55 44 33 22" in html
    fresh = db.session.get(Client, dupre.id)
    db.session.refresh(fresh)
    assert (fresh.email, fresh.street, len(fresh.phones)) == (
        "eloise.dupre@exemple.fr",
        "12 rue des Capucins",
        1,
    )
    assert log.verbs() == []


def test_edit_saves_and_records_the_changes(browser, dupre, csrf_from, log):
    form = browser.get(f"/clients/{dupre.id}/edit").get_data(as_text=True)
    # The form comes filled with the file as it is.
    assert 'value="eloise.dupre@exemple.fr"' in form and "04 78 12 34 56" in form
    response = browser.post(
        f"/clients/{dupre.id}/edit",
        data={
            "csrf_token": csrf_from(form),
            "title": "Mme",
            "first_name": "Éloïse",
            "last_name": "Dupré-Lefèvre",
            "email": "eloise.dupre@exemple.fr",
            "phones": "04 78 12 34 56",
            "street": "12 rue des Capucins",
            "postcode": "69001",
            "city": "Lyon",
            "consent_email": "y",
            "consent_phone": "y",
            "do_not_call": "y",
        },
    )
    assert response.status_code == 302
    (action,) = log.new()
    assert action.verb == "client.updated"
    assert action.payload["changes"] == {"do_not_call": {"old": False, "new": True}}


def test_new_prospect_page(browser, csrf_from, log):
    form = browser.get("/clients/new").get_data(as_text=True)
    refused = browser.post(
        "/clients/new",
        data={"csrf_token": csrf_from(form), "segment": "b2b", "last_name": "Morvan"},
        follow_redirects=True,
    )
    assert refused.status_code == 422
    assert "raison sociale est obligatoire" in refused.get_data(as_text=True)
    assert log.verbs() == []
    created = browser.post(
        "/clients/new",
        data={
            "csrf_token": csrf_from(form),
            "segment": "b2c",
            "last_name": "Morvan",
            "phones": "06 11 22 33 44",
        },
    )
    assert created.status_code == 302
    client_id = int(re.search(r"/clients/(\d+)", created.headers["Location"]).group(1))
    assert db.session.get(Client, client_id).kind == "prospect"
    assert log.verbs() == ["client.created"]


def test_identity_form_on_the_file(browser, dupre, csrf_from, log):
    html = browser.get(f"/clients/{dupre.id}").get_data(as_text=True)
    log.mark()
    token = csrf_from(html)
    one = browser.post(
        f"/clients/{dupre.id}/verify-identity", data={"csrf_token": token, "postcode": "69001"}
    )
    assert one.status_code == 422
    assert "au moins deux éléments" in one.get_data(as_text=True)
    assert 'value="69001"' in one.get_data(as_text=True)
    assert log.verbs() == []
    two = browser.post(
        f"/clients/{dupre.id}/verify-identity",
        data={"csrf_token": token, "postcode": "69001", "birth_date": "12/04/1980"},
        follow_redirects=True,
    )
    assert "Identité vérifiée" in two.get_data(as_text=True)
    assert log.verbs()[0] == "identity.verified"


def test_trainers_cannot_open_candidate_pages(client, login, shift, dupre):
    login("formateur")
    assert client.get("/clients").status_code == 403
    assert client.get(f"/clients/{dupre.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, dupre):
    response = client.get(f"/clients/{dupre.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_candidate_without_a_running_shift_gets_a_message_not_an_error(client, login, shift):
    login("candidat3")
    home = client.get("/clients")
    assert home.status_code == 200
    assert "Aucune séance en cours" in home.get_data(as_text=True)
    assert client.get("/clients/1").status_code == 404
