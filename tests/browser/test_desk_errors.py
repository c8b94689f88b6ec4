"""Errors where the eye is, in a real browser at 1440×900: a refusal names the field, the cursor
goes there, the page shows the error in view, and nobody is asked « sure? » about a form that is
going to be refused."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import log_in
from tests.browser.test_desk import CLIENT_PHONE, Trainer, _attempt_id, _click, _text_in, _wait

pytestmark = pytest.mark.browser


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "var r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= window.innerHeight;",
        element,
    )


def test_an_empty_wrap_up_names_its_fields_and_focuses_the_first(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    browser.set_window_size(1440, 900)
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _click(browser, "go-ready")
    _text_in(browser, "agent-state", "Prêt")
    trainer.post(f"/attempts/{attempt_id}/inbound-calls", {"number": CLIENT_PHONE})
    _click(browser, "answer")
    _text_in(browser, "agent-state", "En communication")
    _click(browser, "hangup")
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "wrapup")))
    _click(browser, "qualify")
    _text_in(browser, "qualify-error", "Code :")
    message = browser.find_element(By.ID, "qualify-error").text
    assert "Note :" in message and "Données invalides" not in message
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "qualify-code"
    assert active.get_attribute("aria-invalid") == "true"


def test_the_memo_is_checked_before_any_confirmation(live_server, browser):
    base = live_server.live_url
    browser.set_window_size(1440, 900)
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/end-of-shift/memo")
    # An empty memo: no « sure? » dialog (an open alert would fail the next command)…
    browser.find_element(By.ID, "send-memo").click()
    # …the server names the fields, and the cursor is in the first one.
    _wait(browser).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".has-error"))
    active = browser.switch_to.active_element
    assert active.get_attribute("aria-invalid") == "true"
    assert active.get_attribute("name") == "subject"


def test_the_identity_verdict_is_shown_beside_the_form_in_view(live_server, browser):
    base = live_server.live_url
    browser.set_window_size(1440, 900)
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/clients/2")
    form = browser.find_element(By.CSS_SELECTOR, "#identite form")
    form.find_element(By.NAME, "client_number").send_keys("C99999")
    form.find_element(By.NAME, "postcode").send_keys("69006")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    verdict = _wait(browser).until(EC.visibility_of_element_located((By.ID, "identity-verdict")))
    assert "Identité non vérifiée" in verdict.text
    _wait(browser).until(lambda b: _in_view(b, b.find_element(By.ID, "identity-verdict")))
    # Not repeated at the top of the page, out of sight.
    assert (
        "non vérifiée"
        not in (browser.find_element(By.CSS_SELECTOR, "main").text.split(verdict.text)[0])
    )
