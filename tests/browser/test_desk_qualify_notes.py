"""At the desk in a real browser: qualifying one conversation after another, each qualification
carries only the note typed for it (the note box starts empty for every conversation)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.actionlog.models import Action
from crm.extensions import db
from tests.browser.conftest import log_in
from tests.browser.test_desk import Trainer, _attempt_id

pytestmark = pytest.mark.browser

CLIENT_PHONE = "04 65 71 13 05"  # Cabinet Morel (C10002) in Bureau Direct
CLIENT_EMAIL = "contact@cabinet-morel.example"
WAIT = 15  # seconds: enough for the 3 s polling fallback, and a slow shared machine
MESSAGES = [
    {
        "channel": "email",
        "party": CLIENT_EMAIL,
        "subject": "Horaires",
        "body": "Bonjour, quels sont vos horaires d'ouverture ? I. Morel",
    },
    {"channel": "sms", "party": CLIENT_PHONE, "body": "Bonjour, ma commande est-elle partie ?"},
    {"channel": "chat", "party": "Isabelle Morel", "body": "Bonjour, une question sur un devis."},
]
NOTES = {
    "email": "Horaires communiqués par email.",
    "sms": "Expédition confirmée par SMS.",
    "chat": "Devis expliqué sur le chat.",
}


def _wait(browser):
    # Panels are redrawn on every push: an element read between two redraws is looked up again.
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _open_from_tab(browser, channel: str, conversation_id: int, body: str) -> None:
    """Open the channel's tab, then that conversation once the tab's list shows it."""
    _wait(browser).until(EC.element_to_be_clickable((By.ID, f"tab-{channel}"))).click()
    _wait(browser).until(
        # Found afresh until the click lands (the list is redrawn on every push).
        lambda b: b.find_element(By.CSS_SELECTOR, f"#conv-{conversation_id} a").click() or True
    )
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "messages"), body[:20]))


def _qualify_from_tab(browser, channel: str, conversation_id: int, body: str) -> None:
    """Open the channel's conversation and qualify it with the channel's note."""
    _open_from_tab(browser, channel, conversation_id, body)
    _wait(browser).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#conv-code option[value='INFO']")
    )
    Select(browser.find_element(By.ID, "conv-code")).select_by_value("INFO")
    note = browser.find_element(By.ID, "conv-note")
    note.send_keys(NOTES[channel])
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "conv-qualify"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "conv-status"), "résolue"))


def _qualified_notes(app, attempt_id: int) -> list[str]:
    with app.app_context():
        actions = db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == attempt_id, Action.verb == "contact.qualified")
            .order_by(Action.id)
        ).all()
        notes = [action.payload["note"] for action in actions]
        db.session.remove()
    return notes


def test_each_conversation_is_qualified_with_its_own_note(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    ids = [
        trainer.post(f"/attempts/{attempt_id}/messages", message)["conversation"]["id"]
        for message in MESSAGES
    ]
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")

    for message, conversation_id in zip(MESSAGES, ids, strict=True):
        _qualify_from_tab(browser, message["channel"], conversation_id, message["body"])

    assert _qualified_notes(live_server, attempt_id) == [NOTES[m["channel"]] for m in MESSAGES]
    # The box is empty again, ready for the next conversation.
    assert browser.find_element(By.ID, "conv-note").get_attribute("value") == ""


def test_a_note_typed_for_one_conversation_stays_with_it(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    email, sms = MESSAGES[0], MESSAGES[1]
    email_id, sms_id = (
        trainer.post(f"/attempts/{attempt_id}/messages", message)["conversation"]["id"]
        for message in (email, sms)
    )
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")

    _open_from_tab(browser, "email", email_id, email["body"])
    browser.find_element(By.ID, "conv-note").send_keys(NOTES["email"])
    _open_from_tab(browser, "sms", sms_id, sms["body"])
    assert browser.find_element(By.ID, "conv-note").get_attribute("value") == ""
    _open_from_tab(browser, "email", email_id, email["body"])
    assert browser.find_element(By.ID, "conv-note").get_attribute("value") == NOTES["email"]
