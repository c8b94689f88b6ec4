"""Consistent data at the desk, in a real browser: French phone numbers as people write them,
and feedback when a conversation is taken."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.conftest import log_in
from tests.browser.test_desk import (
    Trainer,
    _attempt_id,
    _click,
    _link_mode,
    _text_in,
    _wait,
)

pytestmark = pytest.mark.browser


def test_numbers_read_as_french_numbers_and_taking_says_so(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("live"))  # pushes reach the page from now on
    _click(browser, "tab-sms")
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "sms", "party": "+33639984022", "body": "Où est mon colis ?"},
    )
    _text_in(browser, "unread-sms", "1")
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )
    _text_in(browser, "conv-party", "06 39 98 40 22")
    assert "+33" not in browser.find_element(By.ID, "conversation").text
    # « Prendre en charge » says what it did, and is not offered twice.
    _click(browser, "conv-take")
    _text_in(browser, "conv-info", "prise en charge")
    _wait(browser).until(lambda b: not b.find_element(By.ID, "conv-take").is_enabled())

    # The pages use the same form: the client file's contact person typed « 04.65.71.13.05 ».
    browser.get(f"{base}/clients/2")
    persons = browser.find_element(By.ID, "contact-persons").text
    assert "04 65 71 13 05" in persons and "04.65.71.13.05" not in persons
