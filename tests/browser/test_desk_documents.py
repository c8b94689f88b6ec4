"""Attaching the client's invoice to a reply at the desk, in a real browser: the composer
offers the client's own documents, the sent message lists the PDF, and the link downloads it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from crm.actionlog.models import Action
from crm.db import db
from tests.browser.conftest import log_in
from tests.browser.test_desk import Trainer, _attempt_id, _click, _link_mode, _text_in, _wait

pytestmark = pytest.mark.browser


def test_attach_the_invoice_to_a_reply(live_server, browser):
    base = live_server.live_url
    trainer = Trainer(live_server)
    attempt_id = _attempt_id(live_server, "candidat1")
    log_in(browser, base, "candidat1")
    browser.get(f"{base}/desk")
    _wait(browser).until(_link_mode("live"))

    # Rhône Habitat (C10006) asks for its invoice.
    trainer.post(
        f"/attempts/{attempt_id}/messages",
        {
            "channel": "email",
            "party": "contact@rhone-habitat.example",
            "subject": "Copie de facture",
            "body": "Bonjour, pouvez-vous me renvoyer la facture FA-207691 ? Merci.",
        },
    )
    _text_in(browser, "unread-email", "1")
    _wait(browser).until(
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#conversations li[id^='conv-'] a").click() or True
        )
    )
    _text_in(browser, "messages", "FA-207691")
    _wait(browser).until(
        lambda b: any(
            o.text == "Facture FA-207691"
            for o in b.find_elements(By.CSS_SELECTOR, "#reply-documents option")
        )
    )
    Select(browser.find_element(By.ID, "reply-documents")).select_by_visible_text(
        "Facture FA-207691"
    )
    browser.find_element(By.ID, "reply-body").send_keys(
        "Bonjour, voici la facture FA-207691 en pièce jointe. Bien cordialement."
    )
    _click(browser, "reply-send")
    # Read inside the wait: the panel is redrawn on every push.
    name, href = _wait(browser).until(
        lambda b: (
            (link := b.find_element(By.CSS_SELECTOR, "#messages li.message-out .attachments a"))
            and (link.text, link.get_attribute("href"))
        )
    )
    assert name == "facture-FA-207691.pdf"

    with live_server.app_context():
        action = db.session.scalars(
            sa.select(Action).where(
                Action.attempt_id == attempt_id, Action.verb == "document.generated"
            )
        ).one()
        sha256 = action.payload["sha256"]
        db.session.remove()
    # Staff download the PDF the client received, byte for byte.
    download = trainer.client.get(href.removeprefix(base), headers=trainer.headers)
    assert download.status_code == 200 and download.headers["X-Content-SHA256"] == sha256
