"""Templates at the desk, in a real browser: filled in before sending (the candidate edits the
filled text), greeting whoever wrote, SMS length counted on the filled text, chat templates."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import log_in
from tests.browser.test_desk import Trainer, _attempt_id, _click, _link_mode, _text_in, _wait

pytestmark = pytest.mark.browser


def _open_first_conversation(browser):
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )


def _choose(browser, label):
    _wait(browser).until(
        lambda b: any(
            o.text == label for o in b.find_elements(By.CSS_SELECTOR, "#reply-template option")
        )
    )
    Select(browser.find_element(By.ID, "reply-template")).select_by_visible_text(label)


def _body(browser) -> str:
    return browser.find_element(By.ID, "reply-body").get_attribute("value")


def test_templates_are_filled_in_for_whoever_wrote(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("live"))  # pushes reach the page from now on

    # Nathalie Perrin, the Cabinet Morel's assistant, writes from her own address.
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {
            "channel": "email",
            "party": "n.perrin@cabinet-morel.example",
            "subject": "Facture en retard",
            "body": "Bonjour, où en sommes-nous de la facture ? Nathalie Perrin",
        },
    )
    _text_in(browser, "unread-email", "1")
    _open_first_conversation(browser)
    _text_in(browser, "messages", "Nathalie Perrin")
    _choose(browser, "Relance 1 — rappel courtois (email)")
    _wait(browser).until(lambda b: _body(b).startswith("Bonjour Nathalie Perrin,"))
    assert "{{" not in _body(browser)
    subject = browser.find_element(By.ID, "reply-subject").get_attribute("value")
    assert "facture FA-" in subject and "{{" not in subject
    # The candidate edits the filled text; what goes out is what they edited.
    browser.find_element(By.ID, "reply-body").send_keys("\nPS : le RIB est joint.")
    _click(browser, "reply-send")
    sent = _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "#messages li.message-out").text
    )
    assert "Bonjour Nathalie Perrin," in sent and "PS : le RIB est joint." in sent

    # An SMS: its length is counted on the filled text, not on the placeholders.
    _click(browser, "tab-sms")
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "sms", "party": "06 39 98 40 22", "body": "Ma facture ?"},
    )
    _text_in(browser, "unread-sms", "1")
    _open_first_conversation(browser)
    _choose(browser, "Relance 2 (SMS)")
    _wait(browser).until(lambda b: "sauf erreur" in _body(b))
    filled = _body(browser)
    # Measured on the filled text, in GSM-7 (no-break spaces of French typography are plain
    # spaces in an SMS): one or two SMS, not the placeholders' three Unicode ones.
    _text_in(browser, "sms-measure", f"{len(filled)} caractères")
    assert "(gsm7)" in browser.find_element(By.ID, "sms-measure").text

    # A chat offers chat templates only.
    _click(browser, "tab-chat")
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "chat", "party": "Léa Girard", "body": "Bonjour !"},
    )
    _text_in(browser, "unread-chat", "1")
    _open_first_conversation(browser)
    _choose(browser, "Accueil (chat)")
    _wait(browser).until(lambda b: _body(b).startswith("Bonjour et bienvenue chez Bureau Direct"))
    labels = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#reply-template option")]
    assert "Relance 2 (SMS)" not in labels
