"""The trainer's room in real browsers: a trainer watches while a candidate acts at the desk.

Two Chromium sessions: the trainer's room gets the candidate's new tile pushed over the /room
namespace (no reload), and an event injected from the room rings the candidate's phone.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.auth.models import User
from crm.extensions import db
from crm.training.services import current_attempt
from tests.browser.conftest import CHROMIUM_FLAGS, DEMO_PASSWORD, _binaries, absent, log_in

pytestmark = pytest.mark.browser

CLIENT_PHONE = "04 65 71 13 05"
WAIT = 15


@pytest.fixture
def candidate_browser(tmp_path):
    """A second headless Chromium, with a profile of its own (the candidate's session)."""
    binary, driver_path = _binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'candidate-profile'}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


def _ids(app, username: str) -> tuple[int, int]:
    """(shift id, attempt id) of a demo candidate."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        attempt = current_attempt(user)
        ids = attempt.shift_id, attempt.id
        db.session.remove()
    return ids


def _wait(browser):
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _tile_text(attempt_id, words, source=None):
    """The attempt's tile shows `words` (and came from a push when `source` says so)."""

    def check(browser):
        try:
            tiles = browser.find_elements(By.ID, f"tile-{attempt_id}")
            if not tiles or words not in tiles[0].text:
                return False
            return source is None or tiles[0].get_attribute("data-source") == source
        except StaleElementReferenceException:
            return False  # the tile was redrawn by a push while being read: read it again

    return check


def test_the_room_follows_the_candidate_and_injects_a_call(live_server, browser, candidate_browser):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")

    log_in(browser, base, "formateur")
    browser.set_window_size(1440, 900)
    browser.get(f"{base}/room/{shift_id}")
    _wait(browser).until(lambda b: len(b.find_elements(By.CSS_SELECTOR, ".tile")) == 3)
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "room-link"), "Temps réel"))
    _wait(browser).until(_tile_text(attempt_id, "Déconnecté"))

    log_in(candidate_browser, base, "candidat1")
    candidate_browser.get(f"{base}/desk")
    _wait(candidate_browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(candidate_browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))

    # The candidate's action reaches the room as a push: the tile changes without a reload.
    _wait(browser).until(_tile_text(attempt_id, "Prêt", source="push"))
    # The last action, in words.
    _wait(browser).until(_tile_text(attempt_id, "Connexion au téléphone (prêt)"))

    # Inject a free call from the room's form: the candidate's phone rings.
    Select(browser.find_element(By.ID, "attempt")).select_by_value(str(attempt_id))
    Select(browser.find_element(By.ID, "event")).select_by_value("")
    Select(browser.find_element(By.ID, "kind")).select_by_value("call")
    browser.find_element(By.ID, "party").send_keys(CLIENT_PHONE)
    browser.find_element(By.ID, "body").send_keys("Bonjour, je voudrais passer commande.")
    browser.find_element(By.ID, "inject-submit").click()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash-success"), "sonne")
    )
    _wait(candidate_browser).until(EC.visibility_of_element_located((By.ID, "incoming")))
    _wait(browser).until(_tile_text(attempt_id, "Sonnerie"))
    _wait(browser).until(_tile_text(attempt_id, "formateur"))

    # Answered at the desk: the room shows the call in progress with its customer.
    _wait(candidate_browser).until(EC.element_to_be_clickable((By.ID, "answer"))).click()
    _wait(browser).until(_tile_text(attempt_id, "En communication", source="push"))
    _wait(browser).until(_tile_text(attempt_id, "Cabinet Morel"))

    # Two more candidates act through the API: a pause, and a message waiting in an inbox.
    api = live_server.test_client()
    tokens = {}
    for who in ("candidat2", "formateur"):
        answer = api.post("/api/v1/auth/token", json={"username": who, "password": DEMO_PASSWORD})
        tokens[who] = {"Authorization": "Bearer " + answer.get_json()["token"]}
    api.post("/api/v1/phone/state", json={"state": "ready"}, headers=tokens["candidat2"])
    api.post(
        "/api/v1/phone/state",
        json={"state": "pause", "reason": "Formation"},
        headers=tokens["candidat2"],
    )
    _shift, third = _ids(live_server, "candidat3")
    sms = {"kind": "sms", "party": "06 39 98 40 22", "body": "Où en est ma commande ?"}
    injected = api.post(f"/api/v1/attempts/{third}/inject", json=sms, headers=tokens["formateur"])
    assert injected.status_code == 201, injected.get_json()
    _wait(browser).until(_tile_text(third, "1 message en attente", source="push"))

    shot = os.environ.get("PLATEAU_ROOM_SCREENSHOT")
    if shot:
        browser.save_screenshot(shot)

    # Over the shoulder: the transcript, read-only (no action button on the page).
    browser.find_element(By.CSS_SELECTOR, f"#tile-{attempt_id} .tile-name").click()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "shoulder-transcript"), "passer commande")
    )
    assert absent(browser, By.ID, "answer")
