"""The order-entry pages walked with the test client, CSRF tokens included."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.orders.models import Order


@pytest.fixture
def browser(login, world):
    """The test client logged in as candidat1."""
    return login("candidat1")


def _new_order(browser, csrf_from, client_id) -> str:
    token = csrf_from(browser.get("/catalog").get_data(as_text=True))
    response = browser.post("/orders/new", data={"client_id": client_id, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert re.fullmatch(r".*/orders/\d+", response.headers["Location"])
    return response.headers["Location"]


def test_order_flow_substitute_additional_recap_confirm(browser, csrf_from, world, log):
    url = _new_order(browser, csrf_from, world.cash.id)
    page = browser.get(url).get_data(as_text=True)
    for control in ('id="line-sku"', 'id="line-quantity"', 'id="add-line"', 'id="client-banner"'):
        assert control in page
    assert "Paiement à la commande" in page
    token = csrf_from(page)

    refused = browser.post(
        url + "/lines", data={"sku": "tst-ram", "quantity": "4", "csrf_token": token}
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "Rupture : Ramette test" in html and "réappro prévu le" in html
    assert "produits de substitution : Ramette test éco, Ramette test recyclée" in html
    assert (
        f'id="offer-accept-{world.sub.id}"' in html and f'id="backorder-{world.short.id}"' in html
    )

    taken = browser.post(
        url + "/offers",
        data={
            "kind": "substitute",
            "product_id": world.sub.id,
            "for_product_id": world.short.id,
            "quantity": "4",
            "answer": "accepted",
            "csrf_token": token,
        },
    )
    assert taken.status_code == 302
    html = browser.get(url).get_data(as_text=True)
    assert "remplace Ramette test" in html and "Rupture : Ramette test" not in html
    assert f'id="offer-accept-{world.comp.id}"' in html, "complement suggested as additional sale"

    extra = browser.post(
        url + "/offers",
        data={
            "kind": "additional",
            "product_id": world.comp.id,
            "for_product_id": world.sub.id,
            "quantity": "2",
            "answer": "accepted",
            "csrf_token": token,
        },
    )
    assert extra.status_code == 302
    assert "vente additionnelle" in browser.get(url).get_data(as_text=True)

    read = browser.post(url + "/recap", data={"csrf_token": token})
    assert read.status_code == 302 and read.headers["Location"].endswith(url + "/recap")
    recap = browser.get(url + "/recap").get_data(as_text=True)
    assert "Ramette test éco remplace Ramette test" in recap
    assert 'id="confirm-order"' in recap and "Récapitulatif lu" in recap
    # 4 × 21.50 + 2 × 12.00 = 110.00 HT, 22.00 VAT, 132.00 TTC
    assert "132,00" in recap and "110,00" in recap

    done = browser.post(url + "/confirm", data={"csrf_token": token})
    assert done.status_code == 302
    html = browser.get(url).get_data(as_text=True)
    assert "confirmée" in html and 'id="add-line"' not in html
    if "payments.new" in browser.application.view_functions:
        assert 'id="record-payment"' in html and "/payments/new?order_id=" in html
    assert log.verbs() == [
        "order.created",
        "order.out_of_stock",
        "offer.made",
        "order.line_added",
        "offer.made",
        "order.line_added",
        "order.recap_read",
        "order.confirmed",
    ]


def test_refused_line_keeps_what_was_typed_and_saves_nothing(browser, csrf_from, world, log):
    url = _new_order(browser, csrf_from, world.cash.id)
    log.new()
    token = csrf_from(browser.get(url).get_data(as_text=True))
    bad = browser.post(
        url + "/lines", data={"sku": "TST-RAM-ECO", "quantity": "2,5", "csrf_token": token}
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Quantité en Cartons de 5 ramettes : un nombre entier ≥ 1." in html
    assert 'value="2,5"' in html and 'value="TST-RAM-ECO"' in html
    unknown = browser.post(
        url + "/lines", data={"sku": "NOPE", "quantity": "1", "csrf_token": token}
    )
    assert unknown.status_code == 422 and "Référence inconnue" in unknown.get_data(as_text=True)
    empty = browser.post(url + "/lines", data={"sku": "", "quantity": "", "csrf_token": token})
    assert empty.status_code == 422 and "Saisissez une quantité." in empty.get_data(as_text=True)
    assert browser.post(url + "/lines", data={"sku": "TST-ENV", "quantity": "1"}).status_code == 400
    assert log.verbs() == []


def test_backorder_button_adds_a_backorder_line(browser, csrf_from, world):
    url = _new_order(browser, csrf_from, world.cash.id)
    token = csrf_from(browser.get(url).get_data(as_text=True))
    browser.post(url + "/lines", data={"sku": "TST-RAM", "quantity": "3", "csrf_token": token})
    response = browser.post(
        url + "/lines",
        data={"sku": "TST-RAM", "quantity": "3", "backorder": "y", "csrf_token": token},
    )
    assert response.status_code == 302
    assert "reliquat — réappro le" in browser.get(url).get_data(as_text=True)


def test_refused_offer_is_recorded_and_bad_quantity_shown(browser, csrf_from, world, log):
    url = _new_order(browser, csrf_from, world.cash.id)
    token = csrf_from(browser.get(url).get_data(as_text=True))
    browser.post(url + "/lines", data={"sku": "TST-RAM", "quantity": "3", "csrf_token": token})
    log.new()
    offer = {"kind": "substitute", "product_id": world.sub.id, "for_product_id": world.short.id}
    answer = {"answer": "accepted", "csrf_token": token}
    bad = browser.post(url + "/offers", data={**offer, **answer, "quantity": "zéro"})
    assert bad.status_code == 422
    assert "un nombre entier ≥ 1" in bad.get_data(as_text=True)
    assert 'value="zéro"' in bad.get_data(as_text=True)
    assert log.verbs() == []
    answer["answer"] = "refused"
    no = browser.post(url + "/offers", data={**offer, **answer, "quantity": "3"})
    assert no.status_code == 302
    assert log.verbs() == ["offer.made"]
    assert "Proposé – refusé" in browser.get(url).get_data(as_text=True)


def test_credit_refusal_is_shown_on_the_recap(browser, csrf_from, world, log):
    url = _new_order(browser, csrf_from, world.account.id)
    page = browser.get(url).get_data(as_text=True)
    assert "limite d&#39;encours 500,00" in page or "limite d'encours 500,00" in page
    token = csrf_from(page)
    browser.post(url + "/lines", data={"sku": "TST-RAM-ECO", "quantity": "4", "csrf_token": token})
    log.new()
    response = browser.post(url + "/confirm", data={"csrf_token": token})
    assert response.status_code == 409
    assert "Confirmation refusée : encours dépassé" in response.get_data(as_text=True)
    assert log.verbs() == ["order.credit_refused"]
    assert db.session.get(Order, int(url.rsplit("/", 1)[1])).status == "draft"


def test_remove_line_and_cancel(browser, csrf_from, world):
    url = _new_order(browser, csrf_from, world.cash.id)
    token = csrf_from(browser.get(url).get_data(as_text=True))
    browser.post(url + "/lines", data={"sku": "TST-ENV", "quantity": "1", "csrf_token": token})
    order = db.session.get(Order, int(url.rsplit("/", 1)[1]))
    line_id = order.lines[0].id
    assert (
        browser.post(f"{url}/lines/{line_id}/remove", data={"csrf_token": token}).status_code == 302
    )
    db.session.expire_all()
    assert order.lines == []
    assert browser.post(url + "/cancel", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert order.status == "cancelled"
    assert "annulée" in browser.get(url).get_data(as_text=True)


def test_empty_recap_redirects_with_a_message(browser, csrf_from, world, attempt):
    url = _new_order(browser, csrf_from, world.cash.id)
    token = csrf_from(browser.get(url).get_data(as_text=True))
    assert browser.post(url + "/recap", data={"csrf_token": token}).status_code == 302
    assert "rien à récapituler" in browser.get(url).get_data(as_text=True)
    assert browser.get(url + "/recap").status_code == 302
    verbs = db.session.scalars(sa.select(Action.verb).where(Action.attempt_id == attempt.id))
    assert "order.recap_read" not in list(verbs)


def test_foreign_order_is_404(browser, world):
    assert browser.get(f"/orders/{world.foreign_order.id}").status_code == 404
    assert browser.get("/orders/999999").status_code == 404


def test_trainer_gets_403(client, login, world):
    login("formateur")
    assert client.get(f"/orders/{world.foreign_order.id}").status_code == 403
    assert client.get("/catalog").status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(f"/orders/{world.foreign_order.id}")
    assert response.status_code in (302, 401)


def test_new_order_from_the_client_file(browser, csrf_from, world):
    """The client file's "Nouvelle commande" button opens a draft (as the browser test does)."""
    page = browser.get(f"/clients/{world.cash.id}").get_data(as_text=True)
    assert 'id="new-order"' in page
    response = browser.post(
        "/orders/new", data={"client_id": world.cash.id, "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 302
    assert "TST-C1" in browser.get(response.headers["Location"]).get_data(as_text=True)


def test_new_order_without_client_is_refused(browser, csrf_from, world):
    token = csrf_from(browser.get("/catalog").get_data(as_text=True))
    response = browser.post("/orders/new", data={"csrf_token": token})
    assert response.status_code == 302
    assert (
        browser.post(
            "/orders/new", data={"client_id": world.foreign_client.id, "csrf_token": token}
        ).status_code
        == 404
    )
