"""At the desk in a real browser: a call rings, is answered, talked, hung up and qualified; an email
is answered from a template. The trainer's injections go through the API (bearer token)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from crm.auth.models import User
from crm.extensions import db
from crm.phones import display_phone
from crm.training.services import current_attempt
from tests.browser.conftest import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.browser

CLIENT_PHONE = "04 65 71 13 05"  # Cabinet Morel (C10002) in Bureau Direct
CLIENT_EMAIL = "contact@cabinet-morel.example"
SCRIPT = {
    "key": "desk-browser",
    "persona": {"name": "Mme Morel", "temper": "calm"},
    "steps": [
        {
            "type": "wait_for_words",
            "say": "Bonjour, c'est Isabelle Morel, du cabinet Morel.",
            "words": ["bonjour"],
        },
        {
            "type": "wait_for_words",
            "say": "Je voulais juste vérifier mes coordonnées.",
            "words": ["au revoir"],
        },
    ],
}
WAIT = 15  # seconds: enough for the 3 s polling fallback, and a slow shared machine


class Trainer:
    """The trainer's API calls against the live app (Flask test client, bearer token)."""

    def __init__(self, app):
        self.client = app.test_client()
        response = self.client.post(
            "/api/v1/auth/token", json={"username": "formateur", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        self.headers = {"Authorization": "Bearer " + response.get_json()["token"]}

    def post(self, path: str, body: dict) -> dict:
        response = self.client.post("/api/v1" + path, json=body, headers=self.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()


def _attempt_id(app, username: str) -> int:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        attempt_id = current_attempt(user).id
        db.session.remove()
    return attempt_id


def _wait(browser):
    # Panels are redrawn on every push: an element read between two redraws is looked up again.
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _click(browser, element_id):
    _wait(browser).until(EC.element_to_be_clickable((By.ID, element_id))).click()


def _text_in(browser, element_id, words):
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, element_id), words))


def _option_loaded(select_id, value):
    def check(browser):
        return browser.find_elements(By.CSS_SELECTOR, f"#{select_id} option[value='{value}']")

    return check


def _link_mode(mode):
    def check(browser):
        return browser.find_element(By.ID, "link-badge").get_attribute("data-mode") == mode

    return check


def test_candidate_takes_a_call_then_answers_an_email(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    assert browser.find_element(By.ID, "crm-frame").get_attribute("src").endswith("/clients")
    _text_in(browser, "agent-state", "Déconnecté")
    # Pushes come through the /desk Socket.IO namespace: no polling while it is connected.
    _wait(browser).until(_link_mode("live"))

    # Log on to the phone.
    _click(browser, "go-ready")
    _text_in(browser, "agent-state", "Prêt")

    # The trainer makes the phone ring; the page shows the caller's number.
    call = trainer.post(
        f"/attempts/{attempt_id}/inbound-calls", {"number": CLIENT_PHONE, "script": SCRIPT}
    )
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "incoming")))
    _text_in(browser, "incoming-number", display_phone(call["number"]))
    _text_in(browser, "agent-state", "Sonnerie")

    # Answer: the CRM frame pops the caller's client file.
    _click(browser, "answer")
    _text_in(browser, "agent-state", "En communication")
    _wait(browser).until(
        lambda b: (
            f"/clients/{call['client_id']}"
            in b.find_element(By.ID, "crm-frame").get_attribute("src")
        )
    )
    _wait(browser).until(EC.frame_to_be_available_and_switch_to_it((By.ID, "crm-frame")))
    _wait(browser).until(lambda b: "C10002" in b.page_source)
    browser.switch_to.default_content()
    _text_in(browser, "transcript", "Isabelle Morel")

    # The candidate's turn, and the customer's reply in the transcript.
    browser.find_element(By.ID, "say-text").send_keys("Bonjour madame, je vous écoute.")
    _click(browser, "say")
    _text_in(browser, "transcript", "Bonjour madame, je vous écoute.")
    _text_in(browser, "transcript", "vérifier mes coordonnées")

    # Hang up, qualify with a code and a note: the agent is ready again.
    _click(browser, "hangup")
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "wrapup")))
    _text_in(browser, "agent-state", "Après-appel")
    # The wrap-up timer runs against the inbound campaign's maximum (60 s).
    _text_in(browser, "wrapup-clock", "/ 1:00")
    _wait(browser).until(_option_loaded("qualify-code", "INFO"))
    Select(browser.find_element(By.ID, "qualify-code")).select_by_value("INFO")
    browser.find_element(By.ID, "qualify-note").send_keys("Coordonnées vérifiées avec la cliente.")
    _click(browser, "qualify")
    _text_in(browser, "agent-state", "Prêt")
    _wait(browser).until(EC.invisibility_of_element_located((By.ID, "wrapup")))

    # An email arrives; the candidate answers it from a template.
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {
            "channel": "email",
            "party": CLIENT_EMAIL,
            "subject": "Ma dernière commande",
            "body": "Bonjour, pouvez-vous me confirmer ma dernière commande ? I. Morel",
        },
    )
    _text_in(browser, "unread-email", "1")
    # Found afresh until the click lands (the list is redrawn on every push).
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )
    _text_in(browser, "messages", "pouvez-vous me confirmer")
    _wait(browser).until(
        lambda b: any(
            "Confirmation de commande" in o.text
            for o in b.find_elements(By.CSS_SELECTOR, "#reply-template option")
        )
    )
    Select(browser.find_element(By.ID, "reply-template")).select_by_visible_text(
        "Confirmation de commande (email)"
    )
    # The editor shows the template filled in for this conversation, ready to edit.
    _wait(browser).until(
        lambda b: (
            b.find_element(By.ID, "reply-body")
            .get_attribute("value")
            .startswith("Bonjour Mme Morel,")
        )
    )
    assert "{{" not in browser.find_element(By.ID, "reply-body").get_attribute("value")
    assert "{{" not in browser.find_element(By.ID, "reply-subject").get_attribute("value")
    _click(browser, "reply-send")
    sent = _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, "#messages li.message-out").text
    )
    assert "Morel" in sent and "{{" not in sent
    assert browser.find_element(By.ID, "reply-error").text == ""
    _text_in(browser, "unread-email", "0")


REFUSED_WEBSOCKET = """
window.WebSocket = function () {
  var ws = this;
  setTimeout(function () {
    if (ws.onerror) { ws.onerror(new Event("error")); }
    if (ws.onclose) { ws.onclose({ code: 1006, reason: "" }); }
  }, 10);
};
window.WebSocket.prototype.close = function () {};
window.WebSocket.prototype.send = function () {};
"""


def test_without_socket_the_desk_polls_and_still_rings(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    # The Socket.IO endpoint is unreachable (a proxy refusing WebSockets and long polling).
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/socket.io/*"]})
    # Blocked URLs do not cover WebSockets, which the desk tries first: refuse them too, as a
    # proxy does (the connection fails, then closes).
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": REFUSED_WEBSOCKET})
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("polling"))
    assert "actualisation toutes les 3 s" in browser.find_element(By.ID, "link-badge").text
    _click(browser, "go-ready")
    _text_in(browser, "agent-state", "Prêt")
    call = trainer.post(f"/attempts/{attempt_id}/inbound-calls", {"number": CLIENT_PHONE})
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "incoming")))
    _text_in(browser, "incoming-number", display_phone(call["number"]))
    # A reload shows the server's state: still ringing.
    browser.refresh()
    _text_in(browser, "agent-state", "Sonnerie")
