"""A disabled action at the desk says why: « Rappeler » while the phone is not ready carries
its reason as its title and as text beside it, in the page's language, and loses both once
the phone is ready."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import log_in
from tests.browser.test_desk_call_plan import _wait, _working_tuesday_11h

pytestmark = pytest.mark.browser


def _callback_reason(browser):
    """(disabled, title, visible hint text) of the first callback's « Rappeler », once drawn."""
    buttons = browser.find_elements(By.CSS_SELECTOR, "#callbacks button.callback-dial")
    if not buttons:
        return False
    button = buttons[0]
    hint_id = button.get_attribute("aria-describedby")
    hint = browser.find_element(By.ID, hint_id).text if hint_id else ""
    return (not button.is_enabled(), button.get_attribute("title") or "", hint)


def test_callback_button_says_why_it_is_disabled(live_server, browser):
    moment = _working_tuesday_11h()
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "callbacks"), "Rhône Habitat"))
    why = "Passez en « Prêt » pour appeler."
    _wait(browser).until(lambda b: _callback_reason(b) == (True, why, why))
    # The number pad's « Appeler » says the same; « Pause » says what comes first.
    assert browser.find_element(By.ID, "dial").get_attribute("title") == why
    assert browser.find_element(By.ID, "go-pause-why").text == "Passez d'abord en « Prêt »."
    # Ready: the button works and says nothing more.
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))
    _wait(browser).until(lambda b: _callback_reason(b) == (False, "", ""))
    assert not browser.find_element(By.ID, "dial-why").is_displayed()


def test_the_reason_is_in_english_on_the_english_desk(live_server, browser):
    moment = _working_tuesday_11h()
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()  # « English »
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "callbacks"), "Rhône Habitat"))
    why = "Switch to “Ready” to call."
    _wait(browser).until(lambda b: _callback_reason(b) == (True, why, why))
