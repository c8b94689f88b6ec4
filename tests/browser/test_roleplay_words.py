"""The role-player console speaks the CRM's words, in a real browser: a conversation's state
in words (« ouverte », not « open »), numbers, amounts, days and statuses in the customer's file
as the CRM pages write them (« 04 65 71 13 05 », « 1 234,50 € », « 07/12/2026 », « confirmée »)."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.browser.conftest import log_in
from tests.browser.test_desk import CLIENT_EMAIL, Trainer
from tests.browser.test_room import _ids, _wait

pytestmark = pytest.mark.browser


def test_the_console_shows_states_and_the_file_in_words(live_server, browser):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    sent = Trainer(live_server).post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "email", "party": CLIENT_EMAIL, "subject": "Devis", "body": "Bonjour."},
    )
    conversation_id = sent["conversation"]["id"]
    log_in(browser, base, "formateur")
    browser.get(f"{base}/room/{shift_id}/play")
    row_id = f"waiting-conversation-{conversation_id}"
    # The list is redrawn on every push: read it afresh each time.
    state = _wait(browser).until(lambda b: b.find_element(By.ID, row_id).text or None)
    assert "ouverte" in state and "open" not in state

    _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, f"#{row_id} button.take").click() or True
    )
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "file")))
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "file-client"), "Morel"))
    assert "ouverte" in browser.find_element(By.ID, "played-status").text
    file_text = browser.find_element(By.ID, "file-client").text
    assert "04 65 71 13 05" in file_text and "+33" not in file_text
    assert re.search(r"\d,\d\d\s€", file_text), file_text  # « 58,20 € »
    assert not re.search(r"\d\.\d\d €", file_text), file_text  # not « 58.20 € »
    assert not re.search(r"\d{4}-\d\d-\d\d", file_text), file_text  # not « 2026-12-07 »
    for raw in ("confirmed", "delivered", "overdue", "unpaid", "paid"):
        assert f"· {raw}" not in file_text, raw
