"""At the desk in a real browser: the call plan dialled with its « Appeler » buttons, the guide."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from crm import clock
from crm.actionlog.models import Action
from crm.auth.models import User
from crm.contacts.agenda import PARIS
from crm.db import db
from crm.training.models import Attempt
from softphone.phone.holidays import holiday_name
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

WAIT = 15
SCRIPTED = "+33261916120"  # Agence Pixel & Papier (C10016): Romain Le Gall answers
DO_NOT_CALL = "+33465713120"  # Chantal Bonnet (C20005), on the do-not-call list


def _working_tuesday_11h() -> datetime:
    """11:00 Paris on the last working Tuesday: inside every calling window."""
    day = clock.now().astimezone(PARIS).date() - timedelta(days=1)
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
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    log_in(browser, base, "candidat1")
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

    # The call guide of the plan's campaign: a tick is recorded and survives a reload.
    guide_box = "#guide ol[data-campaign='relance-clients-inactifs'] input[data-step='1']"
    _wait(browser).until(_click_when_enabled(guide_box))
    _wait(browser).until(lambda b: _ticks(live_server, "candidat1") == [(1, True)])
    browser.refresh()
    _wait(browser).until(
        lambda b: (
            b.find_elements(By.CSS_SELECTOR, guide_box)
            and b.find_element(By.CSS_SELECTOR, guide_box).is_selected()
        )
    )


def _click_when_enabled(selector):
    """Click an element once it is there and enabled (looked up again if redrawn)."""

    def click(browser):
        found = browser.find_elements(By.CSS_SELECTOR, selector)
        if not found or not found[0].is_enabled():
            return False
        found[0].click()
        return True

    return click


def _ticks(app, username) -> list[tuple[int, bool]]:
    """The guide ticks recorded in the user's attempts (step, checked)."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Action)
            .join(Attempt, Attempt.id == Action.attempt_id)
            .join(User, User.id == Attempt.candidate_id)
            .where(User.username == username, Action.verb == "guide.step_ticked")
            .order_by(Action.seq)
        )
        return [(a.payload["step"], a.payload["checked"]) for a in rows]
