"""The role-player console after the customer hangs up, in a real browser: the ended call
leaves the active pane (the console is back to its waiting list) and stays readable, read-only,
under « Récemment terminés »."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.browser.test_roleplay import _make_live
from tests.browser.test_room import CLIENT_PHONE, _ids, _wait
from tests.browser.test_voice import _clicked

pytestmark = pytest.mark.browser


def _bearer(client, username: str) -> dict:
    token = client.post(
        "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
    ).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _answered_call(app, attempt_id: int) -> int:
    """The trainer rings candidat1, who answers (through the API): the call's id."""
    api = app.test_client()
    candidate, trainer = _bearer(api, "candidat1"), _bearer(api, "formateur")
    ready = api.post("/api/v1/phone/state", json={"state": "ready"}, headers=candidate)
    assert ready.status_code == 200, ready.get_json()
    rung = api.post(
        f"/api/v1/attempts/{attempt_id}/inject",
        json={"kind": "call", "party": CLIENT_PHONE},
        headers=trainer,
    )
    assert rung.status_code == 201, rung.get_json()
    call_id = rung.get_json()["call"]["id"]
    answered = api.post(f"/api/v1/calls/{call_id}/answer", headers=candidate)
    assert answered.status_code == 200, answered.get_json()
    return call_id


def test_an_ended_call_leaves_the_pane_for_the_recent_list(live_server, browser):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    _make_live(live_server, shift_id)
    call_id = _answered_call(live_server, attempt_id)

    log_in(browser, base, "formateur")
    browser.get(f"{base}/room/{shift_id}/play")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "console-link"), "Connecté"))
    row = f"waiting-call-{call_id}"
    # The list is redrawn on every push: finding and clicking happen in one wait step.
    _wait(browser).until(_clicked((By.CSS_SELECTOR, f"#{row} .take")))
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "played-hangup"))).click()

    # The pane closes; the console says where the call went and lists it.
    _wait(browser).until(EC.invisibility_of_element_located((By.ID, "played")))
    assert not browser.find_element(By.ID, "file").is_displayed()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "console-notice"), "Appel terminé")
    )
    recent = browser.find_element(By.ID, f"recent-call-{call_id}")
    assert "terminé" in recent.text
    _wait(browser).until(EC.invisibility_of_element_located((By.ID, row)))

    # Reread: the transcript comes back, read-only (it does not close again).
    recent.find_element(By.CSS_SELECTOR, "button.review").click()
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "played")))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "played-status"), "terminé"))
    assert not browser.find_element(By.ID, "played-form").is_displayed()
    assert browser.find_element(By.ID, "console-notice").text == ""
