"""The issue's acceptance test: at the desk, candidat1 takes the default scenario's stock-out order
call end to end (ring, answer, screen pop, identity, substitute, additional sale, recap, card
payment, hang-up, qualification); the evaluator finds every step, in order, in a valid log."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
from crm.yaml_text import load_yaml
from softphone.scenarios.timeline import item_script
from tests.browser.conftest import DEMO_PASSWORD, absent, log_in, page_replaced

pytestmark = pytest.mark.browser

SCENARIO = Path(__file__).parents[2] / "seed_data" / "scenarios" / "bureau-direct.yaml"
ITEM_KEY = "appel-commande-rupture"  # the timeline's order call with a stock-out
CLIENT_NUMBER = "C10013"  # Centre de formation ProForm Rhône, the caller
CLIENT_POSTCODE = "69007"
OUT_OF_STOCK = "PAP-A4-90-5"  # Papier A4 90 g premium: stock 0
CANDIDATE_TURN = "Votre commande est confirmée et réglée, merci monsieur Guillot, au revoir."
NOTE = (
    "Commande de papier : substitut 100 g accepté, vente additionnelle acceptée, payée par carte."
)
WAIT = 15  # seconds: enough for the 3 s polling fallback on a slow shared machine
EXPECTED_ORDER = [
    "call.offered",
    "call.answered",
    "identity.verified",
    "order.out_of_stock",
    "offer.made",
    "offer.made",
    "order.recap_read",
    "order.confirmed",
    "payment.recorded",
    "call.ended",
    "contact.qualified",
]
IN_CONTACT = ("order.out_of_stock", "offer.made", "order.recap_read", "order.confirmed")


def _timeline_item(key: str) -> dict:
    """A timeline item of the default scenario, by key."""
    data = load_yaml(SCENARIO.read_text(encoding="utf-8"))
    return next(item for item in data["timeline"] if item.get("key") == key)


class Api:
    """A user's API calls against the live app (Flask test client, bearer token)."""

    def __init__(self, app, username: str):
        """Log in through POST /auth/token."""
        self.client = app.test_client()
        response = self.client.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        self.headers = {"Authorization": "Bearer " + response.get_json()["token"]}

    def get(self, path: str) -> dict:
        """GET an API path; 200 expected."""
        response = self.client.get("/api/v1" + path, headers=self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def post(self, path: str, body: dict) -> dict:
        """POST JSON to an API path; 201 expected."""
        response = self.client.post("/api/v1" + path, json=body, headers=self.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()


def _attempt_id(app, username: str) -> int:
    """The user's current attempt id."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        attempt_id = current_attempt(user).id
        db.session.remove()
    return attempt_id


def _wait(browser):
    """An explicit wait that retries stale elements."""
    # Desk panels are redrawn on every push: an element read between two redraws is found again.
    return WebDriverWait(browser, WAIT, ignored_exceptions=[StaleElementReferenceException])


def _click(browser, element_id):
    """Click an element once it is clickable."""
    _wait(browser).until(EC.element_to_be_clickable((By.ID, element_id))).click()


def _text_in(browser, element_id, words):
    """Wait until an element's text holds `words`."""
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, element_id), words))


def _navigated(browser, old):
    """Wait until the page (the frame's document) that held `old` has been replaced."""
    _wait(browser).until(page_replaced(old))


def _submit(browser, element):
    """Click a button that posts a form, then wait for the next page to replace this one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()
    _navigated(browser, page)


def _submit_id(browser, element_id):
    """Click a form button by id, then wait for the next page."""
    _submit(browser, _wait(browser).until(EC.element_to_be_clickable((By.ID, element_id))))


def _take_the_order(browser):
    """In the CRM frame: identity, new order, stock-out, substitute, additional, recap, card."""
    _wait(browser).until(lambda b: CLIENT_NUMBER in b.page_source)

    # Identity: client number and postcode, on the client file's form.
    browser.find_element(By.ID, "client_number").send_keys(CLIENT_NUMBER)
    browser.find_element(By.ID, "postcode").send_keys(CLIENT_POSTCODE)
    _submit(browser, browser.find_element(By.CSS_SELECTOR, "#identite button[type='submit']"))
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Identité vérifiée")
    )

    # A new order; the customer's usual paper is out of stock.
    _submit_id(browser, "new-order")
    browser.find_element(By.ID, "line-sku").send_keys(OUT_OF_STOCK)
    quantity = browser.find_element(By.ID, "line-quantity")
    quantity.clear()
    quantity.send_keys("10")
    _submit_id(browser, "add-line")
    shortage = _wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "[id^='shortage-']"))
    )
    assert "Rupture" in shortage.text

    # The first proposed substitute, accepted.
    substitute = shortage.find_element(By.CSS_SELECTOR, "button[id^='offer-accept-']")
    substitute_id = substitute.get_attribute("id")
    _submit(browser, substitute)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#order-lines tr[id^='line-']")) == 1
    assert absent(browser, By.CSS_SELECTOR, "[id^='shortage-']")

    # An additional product from the suggestions, accepted.
    accept = browser.find_element(By.CSS_SELECTOR, "#suggestions button[id^='offer-accept-']")
    assert accept.get_attribute("id") != substitute_id
    _submit(browser, accept)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#order-lines tr[id^='line-']")) == 2

    # The recap, read, then confirmed.
    _submit_id(browser, "read-recap")
    assert "remplace" in browser.find_element(By.ID, "recap-substitutions").text
    assert browser.find_element(By.ID, "recap-additional").text.strip()
    _submit_id(browser, "confirm-order")
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "order-status"), "onfirm"))

    # Paid by training card.
    _submit_id(browser, "record-payment")
    Select(browser.find_element(By.ID, "pay-method")).select_by_value("card")
    browser.find_element(By.ID, "card-number").send_keys("4111 1111 1111 1111")
    expiry = date.today().replace(day=1, year=date.today().year + 2)
    browser.find_element(By.ID, "card-expiry").send_keys(expiry.strftime("%m/%y"))
    browser.find_element(By.ID, "card-cvv").send_keys("123")
    _submit_id(browser, "pay-submit")
    _wait(browser).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "411111******1111")
    )
    assert "4111 1111 1111 1111" not in browser.page_source


def _in_order(verbs: list[str], expected: list[str]) -> bool:
    """Whether `expected` is a subsequence of `verbs`."""
    remaining = iter(verbs)
    return all(verb in remaining for verb in expected)


def test_candidate_takes_the_stock_out_order_call_at_the_desk(live_server, browser):
    """Ring, answer, screen pop, order with substitute and additional sale, pay, qualify."""
    base = live_server.live_url
    trainer = Api(live_server, "formateur")
    attempt_id = _attempt_id(live_server, "candidat1")
    item = _timeline_item(ITEM_KEY)
    script = item_script(item)
    customer_lines = [step["say"] for step in item["script"] if step.get("say")]

    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _text_in(browser, "agent-state", "Déconnecté")
    _click(browser, "go-ready")
    _text_in(browser, "agent-state", "Prêt")

    # The timeline's order call rings, with its scripted customer.
    call = trainer.post(
        f"/attempts/{attempt_id}/inbound-calls", {"number": item["from"], "script": script}
    )
    assert call["scripted"] and call["script"] == ITEM_KEY
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "incoming")))
    _text_in(browser, "incoming-number", display_phone(call["number"]))
    _text_in(browser, "agent-state", "Sonnerie")

    # Answer: the caller speaks and the CRM frame pops the client file.
    _click(browser, "answer")
    _text_in(browser, "agent-state", "En communication")
    _text_in(browser, "transcript", "Nicolas Guillot")
    _wait(browser).until(
        lambda b: (
            f"/clients/{call['client_id']}"
            in b.find_element(By.ID, "crm-frame").get_attribute("src")
        )
    )
    _wait(browser).until(EC.frame_to_be_available_and_switch_to_it((By.ID, "crm-frame")))
    _take_the_order(browser)
    browser.switch_to.default_content()

    # Back at the desk: the customer reacted to each step; the candidate's turn, then hang up.
    _text_in(browser, "transcript", "Merci beaucoup, bonne fin de journée")
    browser.find_element(By.ID, "say-text").send_keys(CANDIDATE_TURN)
    _click(browser, "say")
    _text_in(browser, "transcript", CANDIDATE_TURN)
    _click(browser, "hangup")
    _wait(browser).until(EC.visibility_of_element_located((By.ID, "wrapup")))
    _text_in(browser, "agent-state", "Après-appel")
    _wait(browser).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#qualify-code option[value='VENTE']")
    )
    Select(browser.find_element(By.ID, "qualify-code")).select_by_value("VENTE")
    browser.find_element(By.ID, "qualify-note").send_keys(NOTE)
    _click(browser, "qualify")
    _text_in(browser, "agent-state", "Prêt")
    _wait(browser).until(EC.invisibility_of_element_located((By.ID, "wrapup")))

    # The evaluator reads the log: every step, in order, attached to the call's contact.
    jury = Api(live_server, "jury")
    listing = jury.get(f"/attempts/{attempt_id}/actions?limit=200")
    assert listing["total"] <= 200, "the whole log fits on one page"
    actions = listing["items"]
    start = next(i for i, a in enumerate(actions) if a["verb"] == "call.offered")
    actions = actions[start:]
    verbs = [a["verb"] for a in actions]
    assert _in_order(verbs, EXPECTED_ORDER), verbs
    answered = next(a for a in actions if a["verb"] == "call.answered")
    contact_id = answered["payload"]["contact_id"]
    for verb in (*IN_CONTACT, "payment.recorded", "identity.verified"):
        for action in (a for a in actions if a["verb"] == verb):
            assert (action["interaction_type"], action["interaction_id"]) == (
                "contact",
                contact_id,
            ), action
    kinds = [a["payload"]["kind"] for a in actions if a["verb"] == "offer.made"]
    assert kinds == ["substitute", "additional"], kinds
    qualified = next(a for a in actions if a["verb"] == "contact.qualified")
    assert qualified["payload"]["code"] == "VENTE"
    assert qualified["object_id"] == contact_id

    # The transcript is complete: the customer's lines and the candidate's turn.
    said = [a["payload"]["text"] for a in actions if a["verb"] == "call.said"]
    customer_said = [a["payload"]["text"] for a in actions if a["verb"] == "call.customer_said"]
    assert said == [CANDIDATE_TURN]
    for line in customer_lines + ["Parfait.", "C'est bien ça.", "C'est passé ? Très bien."]:
        assert line in customer_said, (line, customer_said)
    substitute_step = next(s for s in item["script"] if s.get("kind") == "substitute")
    additional_step = next(s for s in item["script"] if s.get("kind") == "additional")
    assert substitute_step["accept_say"] in customer_said
    assert additional_step["accept_say"] in customer_said
    candidate = Api(live_server, "candidat1")
    shown = candidate.get(f"/calls/{call['id']}")
    assert shown["contact_id"] == contact_id and shown["status"] == "ended"
    turns = [(t["speaker"], t["text"]) for t in shown["transcript"]]
    assert ("customer", customer_lines[0]) in turns
    assert ("agent", CANDIDATE_TURN) in turns

    assert jury.get(f"/attempts/{attempt_id}/verify")["valid"] is True
