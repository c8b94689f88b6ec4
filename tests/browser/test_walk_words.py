"""What a walk through the screens found, in a real browser at 1440×900: a disabled button looks
disabled, no page asks for a missing icon, a hidden label stays hidden, the callbacks list names
the contact a callback came from in a sentence of the screen's language, and the English
role-player console writes the client file as the English CRM pages do (« Phone numbers: »,
« 581.64 € », « 7/25/26 »)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from crm import clock
from crm.clients.models import Client
from crm.contacts.models import Callback, Contact
from crm.db import db
from tests.browser.conftest import log_in, page_replaced
from tests.browser.test_desk import CLIENT_EMAIL, Trainer
from tests.browser.test_room import _ids, _wait

pytestmark = pytest.mark.browser


def _opacity(browser, element_id: str) -> float:
    return float(
        browser.execute_script(
            "return getComputedStyle(document.getElementById(arguments[0])).opacity;", element_id
        )
    )


def _callback_after_a_contact(app, attempt_id: int) -> int:
    """A callback promised during a qualified contact with Cabinet Morel (code RAPPEL)."""
    with app.app_context():
        client = db.session.scalar(
            sa.select(Client).where(Client.attempt_id == attempt_id, Client.number == "C10002")
        )
        now = clock.now()
        contact = Contact(
            attempt_id=attempt_id,
            client_id=client.id,
            channel="phone",
            direction="inbound",
            code="RAPPEL",
            note="Rappeler pour le devis.",
            started_at=now - timedelta(minutes=5),
            qualified_at=now - timedelta(minutes=4),
        )
        db.session.add(contact)
        db.session.flush()
        db.session.add(
            Callback(
                attempt_id=attempt_id,
                client_id=client.id,
                contact_id=contact.id,
                due_at=now + timedelta(hours=2),
                reason="Devis mobilier",
            )
        )
        db.session.commit()
        contact_id = contact.id
        db.session.remove()
    return contact_id


def test_the_desk_shows_what_cannot_be_used_and_where_a_callback_comes_from(live_server, browser):
    base = live_server.live_url
    _shift_id, attempt_id = _ids(live_server, "candidat1")
    contact_id = _callback_after_a_contact(live_server, attempt_id)
    log_in(browser, base, "candidat1")
    browser.set_window_size(1440, 900)
    browser.get(f"{base}/desk")
    # Off the phone: « Prêt » can be used, « Pause » cannot, and it shows.
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "agent-state"), "Déconnecté"))
    assert browser.find_element(By.ID, "go-pause").get_attribute("disabled")
    assert _opacity(browser, "go-pause") < 0.6 and _opacity(browser, "go-ready") == 1
    _wait(browser).until(EC.element_to_be_clickable((By.ID, "go-ready"))).click()
    _wait(browser).until(lambda b: _opacity(b, "go-ready") < 0.6 and _opacity(b, "go-pause") == 1)

    _wait(browser).until(
        EC.text_to_be_present_in_element((By.ID, "callbacks"), f"suite au contact n° {contact_id}")
    )
    text = browser.find_element(By.ID, "callbacks").text
    assert f"suite au contact n° {contact_id} (RAPPEL)" in text

    # The order page in the pane: the return quantities' labels are for screen readers only.
    browser.switch_to.frame(browser.find_element(By.ID, "crm-frame"))
    with live_server.app_context():
        order_id = db.session.execute(
            sa.text(
                'select o.id from "order" o join delivery d on d.order_id = o.id '
                "where o.attempt_id = :a and d.status = 'incident' limit 1"
            ),
            {"a": attempt_id},
        ).scalar()
        db.session.remove()
    old = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("location.href = arguments[0]", f"/orders/{order_id}")
    _wait(browser).until(page_replaced(old))
    label = _wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, "#return-form label.visually-hidden"))
    )
    assert label.size["width"] <= 1 and label.size["height"] <= 1
    browser.switch_to.default_content()

    # In English, the same sentence in English words and punctuation.
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()  # « English »
    _wait(browser).until(page_replaced(old))
    browser.get(f"{base}/desk")
    _wait(browser).until(
        EC.text_to_be_present_in_element(
            (By.ID, "callbacks"), f"after contact no. {contact_id} (RAPPEL)"
        )
    )
    assert "n°" not in browser.find_element(By.ID, "callbacks").text

    # No page of the walk asked for an icon that is not there.
    missing = [e["message"] for e in browser.get_log("browser") if "favicon" in e["message"]]
    assert missing == []


def test_the_english_console_writes_the_file_as_the_english_pages(live_server, browser):
    base = live_server.live_url
    shift_id, attempt_id = _ids(live_server, "candidat1")
    sent = Trainer(live_server).post(
        f"/attempts/{attempt_id}/messages",
        {"channel": "email", "party": CLIENT_EMAIL, "subject": "Quote", "body": "Hello."},
    )
    log_in(browser, base, "formateur")
    browser.set_window_size(1440, 900)
    old = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.lang button").click()  # « English »
    _wait(browser).until(page_replaced(old))
    browser.get(f"{base}/room/{shift_id}/play")
    row_id = f"waiting-conversation-{sent['conversation']['id']}"
    _wait(browser).until(
        lambda b: b.find_element(By.CSS_SELECTOR, f"#{row_id} button.take").click() or True
    )
    _wait(browser).until(EC.text_to_be_present_in_element((By.ID, "file-client"), "Morel"))
    file_text = browser.find_element(By.ID, "file-client").text
    assert "Phone numbers: 04 65 71 13 05" in file_text and " : " not in file_text
    assert re.search(r"\d\.\d\d €", file_text), file_text  # « 581.64 € », as the pages
    assert "€" not in re.sub(r"\d\.\d\d €", "", file_text), file_text  # never « €581.64 »
    assert re.search(r"\b\d{1,2}/\d{1,2}/\d\d\b", file_text), file_text  # « 7/25/26 »
    assert not re.search(r"\d\d/\d\d/\d{4}", file_text), file_text  # not « 25/07/2026 »
