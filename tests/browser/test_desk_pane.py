"""The CRM pane at the desk, in a real browser at 1440×900: it follows the contact (a message
opens its client's file, the « Contact en cours » banner goes once qualified, another tab closes
the conversation), fills the window without a second scroll bar, keeps the catalogue and the
knowledge base inside the desk, and fits the invoices table."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import log_in
from tests.browser.test_desk import (
    CLIENT_EMAIL,
    CLIENT_PHONE,
    SCRIPT,
    Trainer,
    _attempt_id,
    _click,
    _link_mode,
    _option_loaded,
    _text_in,
    _wait,
)

pytestmark = pytest.mark.browser


def _frame_src(browser) -> str:
    return browser.find_element(By.ID, "crm-frame").get_attribute("src")


def _in_frame(browser, script):
    """Run `script` (returning a value) inside the CRM pane's page."""
    browser.switch_to.frame(browser.find_element(By.ID, "crm-frame"))
    try:
        return browser.execute_script(script)
    finally:
        browser.switch_to.default_content()


def test_the_pane_follows_the_contact(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("live"))  # pushes reach the page from now on

    # An email from a known client: opening it opens the client's file; the name is a link.
    sent = trainer.post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "email", "party": CLIENT_EMAIL, "subject": "Devis", "body": "Bonjour."},
    )
    client_id = sent["conversation"]["client_id"]
    _text_in(browser, "unread-email", "1")
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )
    _wait(browser).until(lambda b: _frame_src(b).endswith(f"/clients/{client_id}"))
    link = _wait(browser).until(EC.visibility_of_element_located((By.ID, "conv-client-link")))
    assert "Morel" in link.text and link.get_attribute("target") == "crm-frame"
    # The facts line has no empty separators (« résolue · · »).
    meta = browser.find_element(By.CSS_SELECTOR, "#conversation .conv-meta").text
    assert "· ·" not in meta and not meta.strip().endswith("·")

    # Another tab lists other conversations: the email is not left open under it.
    _click(browser, "tab-sms")
    _wait(browser).until(EC.invisibility_of_element_located((By.ID, "conversation")))
    _text_in(browser, "conversations", "Aucune conversation")

    # A call: answering opens the file with the « Contact en cours » banner…
    _click(browser, "go-ready")
    _text_in(browser, "agent-state", "Prêt")
    trainer.post(
        f"/attempts/{attempt_id}/inbound-calls", {"number": CLIENT_PHONE, "script": SCRIPT}
    )
    _click(browser, "answer")
    _text_in(browser, "agent-state", "En communication")
    _wait(browser).until(
        lambda b: _in_frame(b, "return !!document.getElementById('open-contact-banner')")
    )
    # …which goes once the contact is qualified at the desk, without reloading the page.
    _click(browser, "hangup")
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "wrapup")))
    _wait(browser).until(_option_loaded("qualify-code", "INFO"))
    Select(browser.find_element(By.ID, "qualify-code")).select_by_value("INFO")
    browser.find_element(By.ID, "qualify-note").send_keys("Coordonnées vérifiées.")
    _click(browser, "qualify")
    _text_in(browser, "agent-state", "Prêt")
    _wait(browser).until(
        lambda b: _in_frame(b, "return !document.getElementById('open-contact-banner')")
    )


def test_the_desk_fills_the_window_and_keeps_its_tools_inside(live_server, browser):
    base = live_server.live_url
    browser.set_window_size(1440, 900)
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _text_in(browser, "agent-state", "Déconnecté")
    # One scroll bar per column, none for the window; the pane takes the height left.
    sizes = browser.execute_script(
        "var f = document.getElementById('crm-frame').getBoundingClientRect();"
        "return [document.documentElement.scrollHeight, window.innerHeight, f.bottom, f.height];"
    )
    page_height, window_height, frame_bottom, frame_height = sizes
    assert page_height <= window_height
    assert frame_bottom <= window_height and frame_height > window_height - 140

    # The catalogue and the knowledge base open in the pane: the desk stays.
    _click(browser, "crm-nav-catalog")
    _wait(browser).until(lambda b: _in_frame(b, "return location.pathname") == "/catalog")
    _click(browser, "crm-nav-knowledge")
    _wait(browser).until(lambda b: _in_frame(b, "return location.pathname") == "/knowledge")
    assert browser.current_url.endswith("/desk")

    # The invoices table fits its card in the pane: no column (« Relance ») is cut.
    browser.execute_script("document.getElementById('crm-frame').src = '/clients/1/invoices'")
    _wait(browser).until(lambda b: _in_frame(b, "return !!document.getElementById('invoices')"))
    widths = _in_frame(
        browser,
        "var t = document.getElementById('invoices');"
        "return [t.getBoundingClientRect().right, t.closest('.card').getBoundingClientRect().right,"
        " document.documentElement.scrollWidth, document.documentElement.clientWidth];",
    )
    table_right, card_right, page_width, view_width = widths
    assert table_right <= card_right and page_width <= view_width
