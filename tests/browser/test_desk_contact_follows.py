"""The CRM pane follows the open contact without reloading, in a real browser: taking a
conversation puts the « Contact en cours » banner and the file's contact box in the pane at once
(not on the next page load), and qualifying it takes both away."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.conftest import log_in
from tests.browser.test_desk import CLIENT_EMAIL, WAIT, Trainer, _attempt_id, _click, _link_mode
from tests.browser.test_desk_pane import _in_frame

pytestmark = pytest.mark.browser

BANNER = "var b = document.getElementById('open-contact-banner'); return b ? b.innerText : '';"
BOX = "return document.getElementById('contact-box').innerText;"


def _wait(browser):
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def test_taking_and_qualifying_a_conversation_updates_the_pane_in_place(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("live"))
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "email", "party": CLIENT_EMAIL, "subject": "Devis", "body": "Bonjour."},
    )
    # Listed unread, with a real plural (« 1 non lu », not « 1 non lus »).
    _wait(browser).until(lambda b: "1 non lu" in b.find_element(By.ID, "conversations").text)
    assert "1 non lus" not in browser.find_element(By.ID, "conversations").text
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )
    # The client's file opens in the pane, with no contact open yet.
    _wait(browser).until(lambda b: _in_frame(b, "return !!document.getElementById('contact-box')"))
    assert _in_frame(browser, BANNER) == ""
    assert "Ouvrir un contact" in _in_frame(browser, BOX)
    _in_frame(browser, "window.sameDocument = true; return 1;")

    # Taken: the banner and the box say so at once, in the same document.
    _click(browser, "conv-take")
    _wait(browser).until(lambda b: "Contact en cours avec" in _in_frame(b, BANNER))
    assert "Morel" in _in_frame(browser, BANNER)
    _wait(browser).until(lambda b: "Ce contact : E-mail, entrant" in _in_frame(b, BOX))
    assert "Contact en cours" not in _in_frame(browser, BOX)  # the banner says it, once
    assert _in_frame(browser, "return window.sameDocument === true;")

    # Qualified: both go back to « no contact », still without reloading.
    _wait(browser).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#conv-code option[value='INFO']")
    )
    Select(browser.find_element(By.ID, "conv-code")).select_by_value("INFO")
    browser.find_element(By.ID, "conv-note").send_keys("Devis envoyé par e-mail.")
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "conv-qualify"))).click()
    _wait(browser).until(lambda b: _in_frame(b, BANNER) == "")
    _wait(browser).until(lambda b: "Ouvrir un contact" in _in_frame(b, BOX))
    assert _in_frame(browser, "return window.sameDocument === true;")
