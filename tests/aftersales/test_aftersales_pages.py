"""After-sales pages of the CRM pane: what the order screen offers in each status, each step
recorded, each refusal flashed in French with nothing saved; roles and attempts enforced."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.aftersales.models import CreditNote, Return
from crm.db import db
from tests.test_translations import switch_to_english

pytestmark = pytest.mark.empty_world


@pytest.fixture
def page(login, world):
    """cand1's logged-in browser (test client)."""
    return login("candidat1")


def _order_page(page, order) -> str:
    response = page.get(f"/orders/{order.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_paid_order_offers_neither_payment_nor_cancellation(page, world):
    html = _order_page(page, world.paid)
    assert "réglée" in html
    assert 'id="record-payment"' not in html and 'id="cancel-order"' not in html
    assert 'id="authorise-return"' not in html  # not shipped yet: nothing to return


def test_a_shipped_order_shows_its_parcel_and_offers_a_return_not_a_cancel(page, world):
    html = _order_page(page, world.late)
    assert "6ATEST0000001" in html and "incident" in html
    assert 'id="cancel-order"' not in html and 'id="authorise-return"' in html
    assert "la rétractation est possible dès maintenant" in html


def test_tracking_read_is_recorded_then_investigation_and_reship(page, world, log, csrf_from):
    token = csrf_from(_order_page(page, world.late))
    url = f"/after-sales/orders/{world.late.id}/tracking"
    response = page.post(url, data={"csrf_token": token})
    assert response.status_code == 302
    html = page.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pris en charge par le transporteur" in html and "retard" in html
    assert log.verbs() == ["delivery.tracking_read"]
    url = f"/after-sales/deliveries/{world.parcel.id}"
    page.post(f"{url}/investigation", data={"csrf_token": token, "note": "Prévenu"})
    response = page.post(f"{url}/reship", data={"csrf_token": token})
    html = page.get(response.headers["Location"]).get_data(as_text=True)
    assert "Commande réexpédiée : nouveau suivi" in html
    assert log.verbs() == ["delivery.investigation_opened", "delivery.reshipped"]


def test_return_refused_after_the_period_is_flashed_nothing_saved(page, world, log, csrf_from):
    html = _order_page(page, world.old)
    assert "Délai de rétractation dépassé" in html  # shown before the candidate tries
    response = page.post(
        f"/after-sales/orders/{world.old.id}/returns", data={"csrf_token": csrf_from(html)}
    )
    html = page.get(response.headers["Location"]).get_data(as_text=True)
    assert html.count("Délai de rétractation dépassé") == 2  # the flash and the notice
    assert log.verbs() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Return)) == 0


def test_return_credit_note_refund_and_goodwill_over_the_limit(page, world, log, csrf_from):
    html = _order_page(page, world.delivered)
    token = csrf_from(html)
    line = world.delivered.lines[0]
    page.post(
        f"/after-sales/orders/{world.delivered.id}/returns",
        data={"csrf_token": token, f"quantity-{line.id}": "1", "reason": "Trop grand"},
    )
    ret = db.session.scalar(sa.select(Return))
    assert ret.lines[0].quantity == 1
    page.post(f"/after-sales/returns/{ret.id}/credit-note", data={"csrf_token": token})
    note = db.session.scalar(sa.select(CreditNote))
    response = page.post(f"/after-sales/credit-notes/{note.id}/refund", data={"csrf_token": token})
    html = page.get(response.headers["Location"]).get_data(as_text=True)
    assert "411111******1111" in html
    assert log.verbs() == ["return.authorised", "credit_note.issued", "refund.recorded"]
    response = page.post(
        f"/after-sales/orders/{world.delivered.id}/goodwill",
        data={"csrf_token": token, "amount": "80,00", "reason": "Retard"},
    )
    html = page.get(response.headers["Location"]).get_data(as_text=True)
    assert "dépasse votre délégation" in html
    assert log.verbs() == []
    invoices = page.get(f"/clients/{world.consumer.id}/invoices").get_data(as_text=True)
    assert note.number in invoices and "Avoirs et remboursements" in invoices
    file = page.get(f"/clients/{world.consumer.id}").get_data(as_text=True)
    assert f'id="account-credit-note-{note.id}"' in file


def test_a_trainer_has_no_candidate_after_sales_pages(login, world):
    trainer = login("formateur")
    assert trainer.get(f"/after-sales/orders/{world.late.id}/tracking").status_code == 403


def test_another_attempts_order_is_not_found(page, world):
    assert page.get(f"/after-sales/orders/{world.foreign_order.id}/tracking").status_code == 404


def test_tracking_names_the_incident_in_the_screen_s_language(page, world, csrf_from):
    token = csrf_from(_order_page(page, world.late))
    response = page.post(
        f"/after-sales/orders/{world.late.id}/tracking", data={"csrf_token": token}
    )
    tracking = response.headers["Location"]
    assert "Incident : <strong>retard</strong>" in page.get(tracking).get_data(as_text=True)
    switch_to_english(page, csrf_from, _order_page(page, world.late), tracking)
    english = page.get(tracking).get_data(as_text=True)
    # English punctuation: no French space before the colon.
    assert "Incident: <strong>delay</strong>" in english and "Incident :" not in english
