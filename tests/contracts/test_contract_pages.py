"""Contract pages: the client file's tab, the contract with its offers, a refused offer and a
refused date shown on their field (nothing kept), then a cancellation confirmed in writing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm import clock


@pytest.fixture
def browser(login, world):
    """The test client logged in as cand1."""
    return login("candidat1")


def test_client_file_lists_the_contracts(browser, world):
    page = browser.get(f"/clients/{world['loyal'].id}").get_data(as_text=True)
    assert 'href="#contrats"' in page and "CT-1" in page and "Forfait 100 Go" in page
    assert f"/contracts/{world['box'].id}" in page


def test_offer_answer_cancel_and_confirm_from_the_page(browser, world, csrf_from, log):
    mobile = world["mobile"]
    page = browser.get(f"/contracts/{mobile.id}").get_data(as_text=True)
    assert "Un mois offert" in page and "20 % pendant 6 mois" not in page
    token = csrf_from(page)

    refused = browser.post(
        f"/contracts/{mobile.id}/offer", data={"csrf_token": token, "offer": "remise-20"}
    )
    assert refused.status_code == 422
    assert "réservée aux formules : Box Fibre" in refused.get_data(as_text=True)
    assert log.verbs() == []

    made = browser.post(
        f"/contracts/{mobile.id}/offer",
        data={"csrf_token": token, "offer": "mois-offert"},
        follow_redirects=True,
    )
    assert made.status_code == 200 and "Offre proposée : Un mois offert." in made.get_data(
        as_text=True
    )
    offer_id = log.last("retention.offer_made").object_id
    browser.post(f"/retention-offers/{offer_id}/refuse", data={"csrf_token": token})
    assert log.last("retention.offer_answered").payload["accepted"] is False

    too_soon = browser.post(
        f"/contracts/{mobile.id}/cancel",
        data={
            "csrf_token": token,
            "effective_on": clock.today().isoformat(),
            "reason": "Départ à l'étranger.",
        },
    )
    html = too_soon.get_data(as_text=True)
    assert too_soon.status_code == 422 and "ne peut prendre effet avant le" in html
    assert "Départ à l&#39;étranger.</textarea>" in html

    end = clock.today() + timedelta(days=10)
    done = browser.post(
        f"/contracts/{mobile.id}/cancel",
        data={"csrf_token": token, "effective_on": end.isoformat(), "reason": "Départ."},
        follow_redirects=True,
    )
    assert f"effective le {end:%d/%m/%Y}" in done.get_data(as_text=True)
    confirmed = browser.post(
        f"/contracts/{mobile.id}/confirm",
        data={"csrf_token": token, "channel": "letter"},
        follow_redirects=True,
    )
    assert "Confirmation de résiliation envoyée." in confirmed.get_data(as_text=True)
    assert log.verbs() == [
        "retention.offer_made",
        "retention.offer_answered",
        "contract.cancelled",
        "contract.cancellation_confirmed",
    ]


def test_another_attempts_contract_is_not_found(browser, world):
    assert browser.get(f"/contracts/{world['foreign'].id}").status_code == 404
