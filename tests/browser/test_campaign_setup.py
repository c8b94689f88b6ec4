"""A trainer sets a shift's campaign up in a real browser; the candidate's call plan follows it,
and the room shows the campaign's progress once a call was qualified."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.auth.models import User
from crm.db import db
from crm.training.models import Shift
from crm.training.services import change_shift_status, create_shift
from tests.browser.conftest import DEMO_PASSWORD, log_in, page_replaced
from tests.browser.test_desk_call_plan import _working_tuesday_11h

pytestmark = pytest.mark.browser

WAIT = 15
TARGET = "02 61 91 61 20"  # Agence Pixel & Papier (C10016, Nantes): its customer is scripted


def _wait(browser):
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _planned_shift(app) -> int:
    """The demo shift ends; the trainer opens a planned one for candidat1."""
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        for shift in db.session.scalars(sa.select(Shift).where(Shift.status == "running")):
            change_shift_status(shift, "end")
        shift = create_shift(
            "bureau-direct",
            [users["candidat1"]],
            created_by=users["formateur"],
            name="Séance campagne",
        )
        db.session.commit()
        shift_id = shift.id
        db.session.remove()
    return shift_id


def _candidate_qualifies_a_sale(app) -> None:
    """candidat1 calls the target and qualifies the call VENTE (through the API)."""
    client = app.test_client()
    token = client.post(
        "/api/v1/auth/token", json={"username": "candidat1", "password": DEMO_PASSWORD}
    ).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        client.post("/api/v1/phone/state", json={"state": "ready"}, headers=headers).status_code
        == 200
    )
    call = client.post("/api/v1/calls", json={"number": TARGET}, headers=headers)
    assert call.status_code == 201, call.get_json()
    call_id = call.get_json()["id"]
    client.post(f"/api/v1/calls/{call_id}/hangup", headers=headers)
    contact_id = client.get(f"/api/v1/calls/{call_id}", headers=headers).get_json()["contact_id"]
    done = client.post(
        f"/api/v1/contacts/{contact_id}/qualify",
        json={"code": "VENTE", "note": "Quatre cartons"},
        headers=headers,
    )
    assert done.status_code == 200, done.get_json()


def test_trainer_sets_up_the_campaign_the_desk_and_the_room_follow(live_server, browser):
    moment = _working_tuesday_11h()
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    shift_id = _planned_shift(live_server)

    log_in(browser, base, "formateur")
    browser.get(f"{base}/shifts/")
    browser.find_element(By.CSS_SELECTOR, f"#shift-{shift_id} a.campaign-link").click()
    _wait(browser).until(EC.presence_of_element_located((By.ID, "campaign-form")))
    count = browser.find_element(By.ID, "target-count")
    everyone = int(count.text)
    assert everyone > 10

    name = browser.find_element(By.ID, "name")
    name.clear()
    name.send_keys("Réactivation Nantes")
    Select(browser.find_element(By.ID, "kind")).select_by_value("client")
    browser.find_element(By.ID, "departments").send_keys("44")
    # The count follows the filters as they are typed, before anything is saved.
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "target-count"), "1"))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "target-preview"), "C10016"))
    codes = Select(browser.find_element(By.ID, "qualification_codes"))
    codes.deselect_all()
    for code in ("VENTE", "RDV", "ABSENT", "REFUS"):
        codes.select_by_value(code)
    goals = Select(browser.find_element(By.ID, "goal_codes"))
    goals.deselect_all()
    goals.select_by_value("VENTE")
    windows = browser.find_element(By.ID, "windows")
    windows.clear()
    windows.send_keys("09:00-12:00")
    save = browser.find_element(By.ID, "campaign-save")
    save.click()
    _wait(browser).until(page_replaced(save))
    _wait(browser).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, "main"), "Campagne « Réactivation Nantes » enregistrée"
        )
    )

    # The shift starts from the shifts page: each world gets the campaign.
    browser.get(f"{base}/shifts/")
    start = browser.find_element(
        By.CSS_SELECTOR, f"#shift-{shift_id} form[action$='/{shift_id}/start'] button"
    )
    start.click()
    _wait(browser).until(page_replaced(start))

    # The candidate's call plan is the campaign's target list.
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "call-plan"), "C10016"))
    plan = browser.find_element(By.ID, "plan-panel").text
    assert "Réactivation Nantes" in plan and "C10001" not in plan

    # The room: after a qualified call, the tile and the room show the progress, pushed.
    log_in(browser, base, "formateur")
    browser.get(f"{base}/room/{shift_id}")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "room-link"), "Temps réel"))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "tiles"), "0/1"))
    _candidate_qualifies_a_sale(live_server)
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".tile-campaign"), "VENTE")
    )
    tile = browser.find_element(By.CSS_SELECTOR, ".tile-campaign").text
    assert "1/1" in tile and "objectif atteint" in tile
    # Percentages in the page's language: French puts a narrow no-break space before « % »;
    # counts agree with their number (« 1 tentative »).
    room = browser.execute_script("return document.getElementById('room-campaign').textContent")
    assert "100\u202f%" in room and "1 tentative " in room, room
    # In English, no space; the tile's figures likewise.
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()  # « English »
    _wait(browser).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "html"), "Français"))
    browser.get(f"{base}/room/{shift_id}")
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".tile-campaign"), "VENTE")
    )
    room = browser.execute_script("return document.getElementById('room-campaign').textContent")
    assert "100%" in room and "1 attempt " in room, room
