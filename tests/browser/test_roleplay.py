"""The live role-play in real browsers: a candidate at the desk, a trainer playing the customer.

Two Chromium sessions on a shift of mode `live`: the candidate answers a call nobody scripted,
the trainer takes it from the role-player console (opened from the room), reads the client
file and types the customer's turn, which reaches the desk; the candidate's answer reaches the
console by push; the customer hangs up from the console.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from crm.extensions import db
from crm.training.models import Shift
from tests.browser.conftest import DEMO_PASSWORD, csp_violations, log_in
from tests.browser.test_room import (  # noqa: F401  (the second browser)
    CLIENT_PHONE,
    _ids,
    _wait,
    candidate_browser,
)

pytestmark = pytest.mark.browser


def _make_live(app, shift_id: int) -> None:
    with app.app_context():
        db.session.execute(sa.update(Shift).where(Shift.id == shift_id).values(mode="live"))
        db.session.commit()
        db.session.remove()


def test_a_trainer_plays_the_customer_of_a_live_call(live_server, browser, candidate_browser):  # noqa: F811
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    _make_live(live_server, shift_id)

    log_in(candidate_browser, base, "candidat1")
    candidate_browser.get(f"{base}/desk")
    _wait(candidate_browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(candidate_browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))

    # The trainer rings the candidate's phone (an event on demand, no script).
    api = live_server.test_client()
    token = api.post(
        "/api/v1/auth/token", json={"username": "formateur", "password": DEMO_PASSWORD}
    ).get_json()["token"]
    injected = api.post(
        f"/api/v1/attempts/{attempt_id}/inject",
        json={"kind": "call", "party": CLIENT_PHONE},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert injected.status_code == 201, injected.get_json()
    call_id = injected.get_json()["call"]["id"]
    _wait(candidate_browser).until(EC.element_to_be_clickable((By.ID, "answer"))).click()
    _wait(candidate_browser).until(
        EC.text_to_be_present_in_element((By.ID, "agent-state"), "En communication")
    )

    # The console, opened from the room, lists the call; the trainer takes it.
    log_in(browser, base, "formateur")
    browser.set_window_size(1440, 900)
    browser.get(f"{base}/room/{shift_id}")
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "room-roleplay"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "console-link"), "Connecté"))
    row = f"waiting-call-{call_id}"
    _wait(browser).until(EC.element_to_be_clickable((By.CSS_SELECTOR, f"#{row} .take"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "file-client"), "Cabinet Morel"))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, row), "Françoise Formatrice"))

    # The customer's typed turn reaches the candidate's desk.
    browser.find_element(By.ID, "played-text").send_keys("Bonjour, je voudrais passer commande.")
    browser.find_element(By.ID, "played-send").click()
    _wait(candidate_browser).until(
        EC.text_to_be_present_in_element((By.ID, "transcript"), "je voudrais passer commande")
    )

    # The candidate's turn reaches the console by push.
    candidate_browser.find_element(By.ID, "say-text").send_keys("Très bien, je vous écoute.")
    candidate_browser.find_element(By.ID, "say").click()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "played-transcript"), "Très bien, je vous écoute.")
    )

    # The customer hangs up from the console: the candidate is in wrap-up.
    browser.find_element(By.ID, "played-hangup").click()
    _wait(candidate_browser).until(
        EC.text_to_be_present_in_element((By.ID, "agent-state"), "Après-appel")
    )
    assert csp_violations(browser) == [] and csp_violations(candidate_browser) == []
