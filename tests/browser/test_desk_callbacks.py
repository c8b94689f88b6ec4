"""The callbacks list at the desk, in a real browser: the pack's callback with its state and
source, « Rappeler » dials the client, and the callback leaves the list, done."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from crm.contacts.models import Callback
from crm.db import db
from tests.browser.conftest import log_in
from tests.browser.test_desk_call_plan import _wait, _working_tuesday_11h

pytestmark = pytest.mark.browser


def _click_callback(browser):
    """Click the enabled « Rappeler » of the list's first callback (one wait step: redraws)."""
    buttons = browser.find_elements(By.CSS_SELECTOR, "#callbacks button.callback-dial")
    if not buttons or not buttons[0].is_enabled():
        return False
    buttons[0].click()
    return True


def test_candidate_calls_back_from_the_list(live_server, browser):
    moment = _working_tuesday_11h()
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    # The pack's callback to Rhône Habitat (C10006), promised by hand.
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "callbacks"), "Rhône Habitat"))
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "callbacks"), "programmé à la main")
    )
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))
    _wait(browser).until(_click_callback)
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "agent-state"), "En communication")
    )
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "callbacks"), "Aucun rappel planifié.")
    )
    with live_server.app_context():
        # Each candidate's attempt has the pack's callback: only candidat1's is done.
        statuses = db.session.scalars(sa.select(Callback.status)).all()
        db.session.remove()
    assert statuses.count("done") == 1
