"""Pages: pay an order by card with the test client, refusals re-rendered, the invoices page."""

from __future__ import annotations

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.extensions import db
from crm.payments.models import Payment


def _last_verb(attempt) -> str:
    return db.session.scalars(
        sa.select(Action.verb).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()


def test_pay_an_order_by_card(login, world, attempt, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?order_id={world.order.id}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for control in ("pay-method", "card-number", "card-expiry", "card-cvv", "pay-amount",
                    "pay-submit"):  # fmt: skip
        assert f'id="{control}"' in html
    assert 'value="59,76"' in html  # what is due, prefilled
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(html),
            "method": "card",
            "amount": "59,76",
            "card_number": "4111 1111 1111 1111",
            "card_expiry": "12/30",
            "card_cvv": "123",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    # The scenario's history holds captured payments too: this one is the newest.
    payment = db.session.scalars(
        sa.select(Payment)
        .where(Payment.attempt_id == attempt.id, Payment.status == "captured")
        .order_by(Payment.id.desc())
        .limit(1)
    ).one()
    assert (payment.order_id, payment.masked_card) == (world.order.id, "411111******1111")
    assert _last_verb(attempt) == "payment.recorded"
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "411111******1111" in followed


def test_a_refused_card_shows_french_errors_and_forgets_the_card(login, world, attempt, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    html = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(html),
            "method": "card",
            "amount": "42,10",
            "card_number": "4012 8888 8888 1881",
            "card_expiry": "11/29",
            "card_cvv": "739",
        },
        follow_redirects=True,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Cette carte n&#39;est pas une carte d&#39;entraînement du scénario." in html
    assert "4012" not in html and "1881" not in html and "739" not in html
    assert 'value="42,10"' in html and 'value="11/29"' in html  # the rest is kept
    db.session.expire_all()
    assert _last_verb(attempt) == "payment.refused"  # the refusal is evidence
    assert world.overdue.amount_paid == 0


def test_bad_amount_is_shown_beside_the_field(login, world, attempt, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?invoice_id={world.overdue.id}"
    html = client.get(url).get_data(as_text=True)
    before = attempt.action_count
    response = client.post(
        url,
        data={"csrf_token": csrf_from(html), "method": "cheque", "amount": "150",
              "reference": "CHQ 778"},
        follow_redirects=True,
    )  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Montant supérieur au reste dû" in html and 'value="CHQ 778"' in html
    db.session.expire_all()
    assert db.session.get(type(attempt), attempt.id).action_count == before


def test_a_draft_order_is_refused_in_french(login, world, csrf_from):
    client = login("candidat1")
    url = f"/payments/new?order_id={world.draft.id}"
    html = client.get(url).get_data(as_text=True)
    assert "n'est pas confirmée" in html
    response = client.post(
        url,
        data={"csrf_token": csrf_from(html), "method": "cheque", "amount": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 422


def test_pages_are_for_candidates_of_this_attempt(login, world, client):
    assert client.get(f"/payments/new?order_id={world.order.id}").status_code == 302  # login
    login("candidat1")
    assert client.get(f"/payments/new?invoice_id={world.foreign_invoice.id}").status_code == 404
    assert client.get("/payments/new").status_code == 404
    assert client.get(f"/clients/{world.foreign_invoice.client_id}/invoices").status_code == 404
    client.post("/logout", data={"csrf_token": _token(client)})
    login("formateur")
    assert client.get(f"/payments/new?order_id={world.order.id}").status_code == 403


def _token(client):
    import re

    html = client.get("/clients").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def test_invoices_page_shows_badges_and_actions_and_is_recorded(login, world, attempt):
    client = login("candidat1")
    response = client.get(f"/clients/{world.client.id}/invoices")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for label in ("En retard", "Partiellement payée", "Non payée", "Payée"):
        assert label in html
    assert f"/payments/new?invoice_id={world.overdue.id}" in html
    assert f"/invoices/{world.overdue.id}/promise" in html
    assert f'id="select-invoice-{world.overdue.id}"' in html
    assert f'id="select-invoice-{world.paid.id}"' not in html
    db.session.expire_all()
    assert _last_verb(attempt) == "invoices.viewed"
