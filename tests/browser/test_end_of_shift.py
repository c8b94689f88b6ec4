"""The end of shift in a real browser: from the desk's frame, send the memo, hand in the grid,
each after the confirmation the page asks for (declining it sends nothing)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from crm.actionlog.models import Action
from crm.auth.models import User
from crm.evaluation.self_assessment import SelfAssessment
from crm.extensions import db
from crm.training.services import current_attempt
from tests.browser.conftest import log_in, page_replaced

pytestmark = pytest.mark.browser

WAIT = 15


def _wait(browser):
    return WebDriverWait(browser, WAIT)


def _verbs(app, username):
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        attempt = current_attempt(user)
        verbs = list(
            db.session.scalars(sa.select(Action.verb).where(Action.attempt_id == attempt.id))
        )
        assessment = db.session.scalar(
            sa.select(SelfAssessment).where(SelfAssessment.attempt_id == attempt.id)
        )
        state = None if assessment is None else bool(assessment.submitted_at)
        db.session.remove()
    return verbs, state


def _accept_confirm(browser, accept=True):
    alert = _wait(browser).until(EC.alert_is_present())
    text = alert.text
    alert.accept() if accept else alert.dismiss()
    return text


def test_memo_and_grid_from_the_desk(live_server, browser):
    base = live_server.live_url
    log_in(browser, base, "candidat1")

    browser.get(f"{base}/desk")
    browser.find_element(By.ID, "end-of-shift-link").click()
    _wait(browser).until(EC.frame_to_be_available_and_switch_to_it((By.ID, "crm-frame")))
    _wait(browser).until(lambda b: "/end-of-shift" in b.execute_script("return location.pathname"))

    # The memo: declining the confirmation sends nothing; accepting sends it.
    browser.find_element(By.ID, "write-memo").click()
    browser.find_element(By.ID, "subject").send_keys("Bilan de la séance")
    browser.find_element(By.ID, "body").send_keys("Deux commandes, une réclamation ouverte.")
    browser.find_element(By.ID, "send-memo").click()
    assert "ne pourra plus être modifiée" in _accept_confirm(browser, accept=False)
    assert "memo.sent" not in _verbs(live_server, "candidat1")[0]
    browser.find_element(By.ID, "send-memo").click()
    _accept_confirm(browser)
    _wait(browser).until(EC.presence_of_element_located((By.ID, "memo-status")))
    assert "Envoyée" in browser.find_element(By.ID, "memo-status").text

    # The grid: handing in an empty one asks nothing (it is going to be refused) and the page
    # says what is missing; a draft is saved without a question; handing in asks first.
    browser.find_element(By.ID, "fill-grid").click()
    page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.ID, "submit-grid").click()
    _wait(browser).until(page_replaced(page))
    assert not EC.alert_is_present()(browser)
    assert "Il reste 78 critères sans niveau" in browser.find_element(By.CLASS_NAME, "flashes").text
    assert _verbs(live_server, "candidat1")[1] is False
    browser.execute_script(
        "document.querySelectorAll('#grid-form select').forEach(s => s.value = 'in_progress');"
    )
    browser.find_element(By.ID, "save-draft").click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.CLASS_NAME, "flashes"), "Brouillon"))
    assert _verbs(live_server, "candidat1")[1] is False
    browser.find_element(By.ID, "submit-grid").click()
    assert "Remettre la grille" in _accept_confirm(browser, accept=False)
    assert _verbs(live_server, "candidat1")[1] is False
    browser.find_element(By.ID, "submit-grid").click()
    _accept_confirm(browser)
    _wait(browser).until(EC.presence_of_element_located((By.ID, "grid-status")))
    assert "Grille remise" in browser.find_element(By.ID, "grid-status").text
    verbs, submitted = _verbs(live_server, "candidat1")
    assert submitted is True and verbs.count("self_assessment.submitted") == 1
