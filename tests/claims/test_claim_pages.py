"""Claim pages: the new-claim form (refused, then accepted) and the status buttons."""

from __future__ import annotations

import re

import pytest

from crm.claims.models import Claim
from crm.db import db


@pytest.fixture
def browser(login, world):
    """The test client logged in as cand1."""
    return login("candidat1")


def test_new_claim_form_then_status_buttons(browser, world, csrf_from, log):
    buyer = world["buyer"]
    page = browser.get(f"/clients/{buyer.id}/claims/new").get_data(as_text=True)
    assert "CMD-T-buyer" in page and "CMD-T-other" not in page
    token = csrf_from(page)
    refused = browser.post(
        f"/clients/{buyer.id}/claims/new",
        data={"csrf_token": token, "category": "damaged", "description": "Abîmé"},
        follow_redirects=True,
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "10 caractères au moins" in html and "Abîmé</textarea>" in html
    assert log.verbs() == []

    created = browser.post(
        f"/clients/{buyer.id}/claims/new",
        data={
            "csrf_token": token,
            "category": "damaged",
            "order_id": str(world["orders"]["buyer"].id),
            "description": "Carton arrivé éventré.",
        },
    )
    assert created.status_code == 302
    claim_id = int(re.search(r"/claims/(\d+)", created.headers["Location"]).group(1))
    claim = db.session.get(Claim, claim_id)
    assert claim.order_id == world["orders"]["buyer"].id

    show = browser.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert "Prendre en charge" in show and "Clôturer" not in show
    started = browser.post(f"/claims/{claim_id}/start", data={"csrf_token": csrf_from(show)})
    assert started.status_code == 302
    too_early = browser.post(f"/claims/{claim_id}/close", data={"csrf_token": csrf_from(show)})
    assert too_early.status_code == 409
    db.session.refresh(claim)
    assert claim.status == "in_progress"
    assert log.verbs() == ["claim.opened", "claim.status_changed"]

    # In progress: one resolution text, posted by whichever button is pressed.
    show = browser.get(f"/claims/{claim_id}").get_data(as_text=True)
    assert show.count("<textarea") == 1 and show.count("Résolution / commentaire") == 1
    assert f'formaction="/claims/{claim_id}/resolve"' in show
    assert f'formaction="/claims/{claim_id}/reject"' in show


def test_claim_pages_of_another_attempt_are_404(browser, world, other_attempt):
    foreign_claim = Claim(
        attempt_id=other_attempt.id,
        number="REC-T-2",
        client_id=world["foreign"].id,
        category="other",
        description="Réclamation de quelqu'un d'autre.",
    )
    db.session.add(foreign_claim)
    db.session.commit()
    assert browser.get(f"/claims/{foreign_claim.id}").status_code == 404
    assert browser.get(f"/clients/{world['foreign'].id}/claims/new").status_code == 404


def test_unknown_event_is_404(browser, world, csrf_from):
    page = browser.get(f"/clients/{world['buyer'].id}/claims/new").get_data(as_text=True)
    browser.post(
        f"/clients/{world['buyer'].id}/claims/new",
        data={"csrf_token": csrf_from(page), "category": "other", "description": "Une remarque."},
    )
    claim = db.session.scalars(db.select(Claim)).first()
    response = browser.post(f"/claims/{claim.id}/explode", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 404
