"""At the desk in a real browser: the campaign's call plan, dialled with its « Appeler » buttons."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from crm.contacts.agenda import PARIS
from crm.db import utcnow
from softphone.phone.holidays import holiday_name

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "plateau-demo"
WAIT = 15
SCRIPTED = "+33261916120"  # Agence Pixel & Papier (C10016): Romain Le Gall answers
DO_NOT_CALL = "+33465713120"  # Chantal Bonnet (C20005), on the do-not-call list


def _working_tuesday_11h() -> datetime:
    """11:00 Paris on the last working Tuesday: inside every calling window."""
    day = utcnow().astimezone(PARIS).date() - timedelta(days=1)
    while day.weekday() != 1 or holiday_name(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(11, 0), PARIS)


def _wait(browser):
    # Panels are redrawn on every push: an element read between two redraws is looked up again.
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _click_plan_button(number):
    """Click the enabled « Appeler » button of a call-plan number, once the panel is drawn.

    Finding and clicking happen in one wait step: the panel is redrawn on every push, so a button
    found in one step may be gone by the next (the stale error is ignored and the step retried).
    """

    def click(browser):
        buttons = browser.find_elements(
            By.CSS_SELECTOR, f"#call-plan button.plan-dial[data-number='{number}']"
        )
        if not buttons or not buttons[0].is_enabled():
            return False
        buttons[0].click()
        return True

    return click


def test_candidate_dials_from_the_call_plan(live_server, browser):
    moment = _working_tuesday_11h()
    live_server.config["PHONE_CLOCK"] = lambda: moment
    base = live_server.live_url
    browser.delete_all_cookies()
    browser.get(f"{base}/login")
    browser.find_element(By.ID, "username").send_keys("candidat1")
    browser.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    browser.find_element(By.ID, "login-submit").click()
    _wait(browser).until(lambda b: "/login" not in b.current_url)
    browser.get(f"{base}/desk")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "call-plan"), "C10016"))
    # The panel re-renders as the plan refreshes: wait for its text rather than read it once.
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "plan-panel"), "Plan d'appels"))

    _wait(browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))

    # The do-not-call client: a warning, and « Appeler malgré tout » (not taken here).
    _wait(browser).until(_click_plan_button(DO_NOT_CALL))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "dial-error"), "ne pas appeler"))
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "dial-anyway")))

    # A scripted number: the plan's customer answers.
    _wait(browser).until(_click_plan_button(SCRIPTED))
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "agent-state"), "En communication")
    )
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "transcript"), "Romain Le Gall"))
    assert browser.find_element(By.ID, "dial-error").text == ""
