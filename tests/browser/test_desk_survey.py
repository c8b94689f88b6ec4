"""At the desk in a real browser: an interview of the survey pack clicked through, one question at
a time as the branching gives it, an error beside the field, a correction, the quotas shown."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from crm.actionlog.models import Action
from crm.auth.models import User
from crm.auth.services import create_user
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from tests.browser.conftest import DEMO_PASSWORD, log_in
from tests.browser.test_desk_call_plan import _working_tuesday_11h

pytestmark = pytest.mark.browser

WAIT = 15
GARNIER = "+33465714001"  # Cabinet Garnier Expertise (C41001), 12 employees: answers everything


def _wait(browser):
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _question(key):
    """The form shows this question (the panel redraws after each answer)."""

    def shown(browser):
        form = browser.find_element(By.ID, "survey-question-form")
        return form.is_displayed() and form.get_attribute("data-question") == key

    return shown


def _answer(browser, key, value=None, *, option=None):
    """Answer the question shown: tick an option (by value) or type a value, then record."""
    _wait(browser).until(_question(key))
    if option is not None:
        for choice in option if isinstance(option, list) else [option]:
            browser.find_element(
                By.CSS_SELECTOR, f"#survey-answer-field input[value='{choice}']"
            ).click()
    elif value is not None:
        field = browser.find_element(By.ID, "survey-answer-input")
        field.clear()
        field.send_keys(value)
    browser.find_element(By.ID, "survey-record").click()


@pytest.fixture
def surveyor(live_server):
    """A candidate of a running shift on the survey pack (the demo's are busy)."""
    with live_server.app_context():
        trainer = db.session.scalar(sa.select(User).where(User.username == "formateur"))
        user = create_user("enqueteur", DEMO_PASSWORD, "candidate", "Émile Enquêteur")
        shift = create_shift("enquete-ostral-bureaux", [user], created_by=trainer)
        change_shift_status(shift, "start")
        db.session.commit()
        attempt_id = shift.attempts[0].id
        db.session.remove()
    return attempt_id


def test_an_interview_clicked_through_at_the_desk(live_server, browser, surveyor):
    moment = _working_tuesday_11h()
    live_server.config["CLOCK"] = lambda: moment
    base = live_server.live_url
    log_in(browser, base, "enqueteur")
    browser.get(f"{base}/desk")
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "survey-idle")))
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Prêt"))
    dial = browser.find_element(By.ID, "dial-number")
    dial.send_keys("04 65 71 40 01")
    browser.find_element(By.CSS_SELECTOR, "#dial-form button[type=submit]").click()

    # The survey panel opens on the introduction, with the quotas.
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "survey-start")))
    assert "Ostral Mobilier" in browser.find_element(By.ID, "survey-intro").text
    quotas = browser.find_element(By.ID, "survey-quotas").text
    assert "Entreprises de 50 salariés et plus : 0 / 3" in quotas
    browser.find_element(By.ID, "survey-start").click()

    # Nothing ticked: the refusal is said beside the field, nothing is recorded.
    _wait(browser).until(_question("effectif"))
    browser.find_element(By.ID, "survey-record").click()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "survey-answer-error"), "Réponse obligatoire")
    )
    _answer(browser, "effectif", option="moins-10")
    # A slip: back to the first question, corrected.
    _wait(browser).until(_question("teletravail"))
    browser.find_element(By.ID, "survey-back").click()
    _answer(browser, "effectif", option="10-49")
    _answer(browser, "teletravail", option="oui")
    _answer(browser, "jours", "7")  # out of the scale 0–5
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "survey-answer-error"), "0 à 5"))
    if path := os.environ.get("PLATEAU_BROWSER_ARTIFACTS"):
        browser.save_screenshot(f"{path}/desk-survey-question.png")
    _answer(browser, "jours", "2")
    _answer(browser, "amenagement", option=["sieges-ergonomiques"])
    _answer(browser, "budget", option="300-800")
    _answer(browser, "satisfaction", "7")
    _answer(browser, "commentaire")  # optional: passed
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "survey-complete")))
    assert "merci beaucoup" in browser.find_element(By.ID, "survey-closing").text
    browser.find_element(By.ID, "survey-complete").click()
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "survey-outcome"), "Questionnaire complété")
    )
    answers = browser.find_element(By.ID, "survey-answers").text
    assert "De 10 à 49 salariés" in answers and "Sièges ergonomiques" in answers
    if path := os.environ.get("PLATEAU_BROWSER_ARTIFACTS"):
        browser.save_screenshot(f"{path}/desk-survey.png")

    with live_server.app_context():
        verbs = list(
            db.session.scalars(
                sa.select(Action.verb)
                .where(Action.attempt_id == surveyor, Action.verb.like("survey.%"))
                .order_by(Action.seq)
            )
        )
    assert verbs[0] == "survey.started" and verbs[-1] == "survey.completed"
    assert verbs.count("survey.went_back") == 1
    assert verbs.count("survey.answered") == 8  # seven questions, one corrected
