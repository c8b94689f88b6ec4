"""The desk's callbacks show their moment as the pages do, in a real browser: Paris time,
short, in the page's language (« 08/12/2026 10:00 », « 12/8/26, 10:00 AM »), not always
French with seconds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from selenium.webdriver.common.by import By

from crm.contacts.agenda import PARIS
from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.browser.test_desk import _text_in
from tests.browser.test_desk_contact_follows import _wait

pytestmark = pytest.mark.browser


def _callback(app) -> datetime:
    """candidat1 schedules a callback with Cabinet Morel for tomorrow 10:00 (API)."""
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": "candidat1", "password": DEMO_PASSWORD}
    ).get_json()["token"]
    due = (datetime.now(PARIS) + timedelta(days=1)).replace(hour=10, minute=0, second=0)
    due = due.replace(microsecond=0)
    made = client.post(
        "/api/v1/callbacks",
        json={"client_id": 2, "due_at": due.isoformat(), "reason": "Rappeler pour le devis"},
        headers={"Authorization": "Bearer " + token},
    )
    assert made.status_code == 201, made.get_json()
    return due, made.get_json()["id"]


def _shown(browser, callback_id: int) -> str:
    """That callback's moment (the list is redrawn on every refresh: read it afresh); the
    scenario seeds callbacks of its own, so it is found by id, not by place."""
    return _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, f"#callback-{callback_id} strong").text or None
    )


def test_callback_moments_read_like_the_pages(live_server, browser):
    base = live_server.live_url
    due, callback_id = _callback(live_server)
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _text_in(browser, "callbacks", "Rappeler pour le devis")
    shown = _shown(browser, callback_id)
    assert shown == due.strftime("%d/%m/%Y 10:00"), shown

    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()
    browser.get(f"{base}/desk")
    _text_in(browser, "callbacks", "Rappeler pour le devis")
    shown = _shown(browser, callback_id)
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, 10:00\sAM", shown), shown
