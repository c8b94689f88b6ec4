"""The evaluator's screens say things in words, in a real browser: the scenario and the
standard by their titles (not « bureau-direct »), a qualification code's family in words (not
« closed »), and in English « no. » everywhere (not « Call n° 1 » beside « Contact no. 55 »)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.browser.test_desk import _attempt_id

pytestmark = pytest.mark.browser

TITLE = "Bureau Direct — service client et ventes à distance"


def _qualified_contact(app) -> None:
    """candidat1 opens a phone contact with Cabinet Morel and qualifies it INFO (API)."""
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": "candidat1", "password": DEMO_PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": "Bearer " + token}
    opened = client.post(
        "/api/v1/contacts",
        json={"client_id": 2, "channel": "phone", "direction": "inbound"},
        headers=headers,
    )
    assert opened.status_code == 201, opened.get_json()
    qualified = client.post(
        f"/api/v1/contacts/{opened.get_json()['id']}/qualify",
        json={"code": "INFO", "note": "Horaires donnés."},
        headers=headers,
    )
    assert qualified.status_code == 200, qualified.get_json()


def test_the_bench_names_the_scenario_and_the_log_speaks_words(live_server, browser):
    base = live_server.live_url
    attempt_id = _attempt_id(live_server, "candidat1")
    _qualified_contact(live_server)
    log_in(browser, base, "jury")

    browser.get(f"{base}/bench/")
    assert TITLE in browser.find_element(By.TAG_NAME, "main").text
    row = browser.find_element(By.ID, "bench-shifts").text
    assert "bureau-direct" not in row and "mc-acvad-referentiel-certification" not in row
    assert "MC ACVAD" in row

    browser.get(f"{base}/attempts/{attempt_id}/timeline")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert f"scénario {TITLE}" in main and "bureau-direct" not in main
    qualified = browser.find_element(By.CSS_SELECTOR, "tr[data-verb='contact.qualified']").text
    assert "demande traitée" in qualified and "closed" not in qualified

    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()
    browser.get(f"{base}/attempts/{attempt_id}/timeline")
    rows = browser.find_element(By.CSS_SELECTOR, "table.timeline").text
    assert "n°" not in rows, "English says « no. »"
    assert "Contact no." in rows and "Attempt no. " in rows
    qualified = browser.find_element(By.CSS_SELECTOR, "tr[data-verb='contact.qualified']").text
    assert "request handled" in qualified
