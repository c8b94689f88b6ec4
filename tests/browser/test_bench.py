"""At the bench in a real browser: the jury opens an attempt, grades the CQP grid, pins a note on
an action of the timeline, signs off and sees the log's hash."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.auth.models import User
from crm.extensions import db
from crm.training.models import Attempt
from tests.browser.conftest import absent, log_in, page_replaced

pytestmark = pytest.mark.browser

CQP = "cqp-relation-commerciale-a-distance"
WAIT = 20


def _submit(browser, element):
    """Click something that loads a new page, and wait until the old page is gone."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, WAIT).until(page_replaced(page))


def _click(browser, element_id):
    element = WebDriverWait(browser, WAIT).until(EC.element_to_be_clickable((By.ID, element_id)))
    _submit(browser, element)


def _attempt_of(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        attempt = db.session.scalar(sa.select(Attempt).where(Attempt.candidate_id == user.id))
        found = (attempt.id, attempt.shift_id)
        db.session.remove()
    return found


def _chain_head(app, attempt_id):
    with app.app_context():
        head = db.session.get(Attempt, attempt_id).chain_head
        db.session.remove()
    return head


def test_jury_grades_pins_a_note_and_signs_off(live_server, browser):
    base = live_server.live_url
    attempt_id, shift_id = _attempt_of(live_server, "candidat1")
    log_in(browser, base, "jury")

    # Bench → the demo shift → choose the CQP standard → candidat1's grid.
    browser.get(f"{base}/bench/")
    _submit(browser, browser.find_element(By.CSS_SELECTOR, f"#bench-shift-{shift_id} a"))
    page = browser.find_element(By.TAG_NAME, "html")
    Select(browser.find_element(By.ID, "standard")).select_by_value(CQP)
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    _click(browser, f"grid-{attempt_id}")
    assert "Ciblage de l'interlocuteur" in browser.page_source

    # Grade one criterion with a comment and save.
    Select(browser.find_element(By.ID, "grade-C1-C1")).select_by_value("in_progress")
    browser.find_element(By.ID, "comment-C1-C1").send_keys(
        "Cible le bon interlocuteur, un peu lent."
    )
    _click(browser, "save-grades")
    assert "Notes enregistrées." in browser.page_source
    assert (
        Select(browser.find_element(By.ID, "grade-C1-C1")).first_selected_option.get_attribute(
            "value"
        )
        == "in_progress"
    )

    # The rest of the grid, then hand the marking in.
    for select in browser.find_elements(By.CSS_SELECTOR, "select[id^='grade-']"):
        choice = Select(select)
        if not choice.first_selected_option.get_attribute("value"):
            choice.select_by_value("acquired")
    _click(browser, "submit-marking")
    assert "Notation remise." in browser.page_source
    assert browser.find_element(By.ID, "marking-state").get_attribute("data-state") == (
        "first_submitted"
    )

    # The timeline: pin a note on the first action.
    _click(browser, "timeline-link")
    row = browser.find_element(By.CSS_SELECTOR, "table.timeline tbody tr[id^='action-']")
    action_id = row.get_attribute("id").removeprefix("action-")
    row.find_element(By.CSS_SELECTOR, "details.pin summary").click()
    browser.find_element(By.ID, f"note-{action_id}").send_keys("Début de séance bien préparé.")
    _click(browser, f"pin-{action_id}")
    assert browser.current_url.endswith(f"#action-{action_id}")
    notes = browser.find_element(By.ID, f"notes-{action_id}")
    assert "Début de séance bien préparé." in notes.text

    # Back to the grid: sign off (confirming), the log's hash is shown, fields are locked.
    _click(browser, "grid-link")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "sign-off").click()
    WebDriverWait(browser, WAIT).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, WAIT).until(page_replaced(page))
    assert "Notation signée" in browser.page_source
    assert browser.find_element(By.ID, "seal-hash").text == _chain_head(live_server, attempt_id)
    assert "Jules Jury" in browser.find_element(By.ID, "signers").text
    # One way of writing the moment on the card, as the lock reason beside it says it.
    signed_at = browser.find_element(By.ID, "signed-at").text
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", signed_at), signed_at
    assert signed_at in browser.find_element(By.ID, "lock-reason").text
    assert not browser.find_element(By.ID, "grade-C1-C1").is_enabled()
    assert absent(browser, By.ID, "save-grades")
