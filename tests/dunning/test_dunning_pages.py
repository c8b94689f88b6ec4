"""Pages: promise form, payment-plan builder with « Répartir », reminder button."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.dunning.models import PaymentPlan, PromiseToPay, Reminder
from crm.extensions import db
from tests.dunning.conftest import make_invoice

# The few rows these pages show are the tests' own: counts then mean what they say.
pytestmark = pytest.mark.empty_world


def _day(offset: int) -> str:
    return (clock.today() + timedelta(days=offset)).isoformat()


def _last_verb(attempt) -> str:
    return db.session.scalars(
        sa.select(Action.verb).where(Action.attempt_id == attempt.id).order_by(Action.seq.desc())
    ).first()


def test_promise_page(login, world, attempt, csrf_from):
    client = login("candidat1")
    url = f"/invoices/{world.overdue.id}/promise"
    html = client.get(url).get_data(as_text=True)
    assert 'value="120,00"' in html and "30 jours au plus" in html
    refused = client.post(
        url,
        data={"csrf_token": csrf_from(html), "amount": "50", "due_date": _day(40),
              "method": "cheque"},
        follow_redirects=True,
    )  # fmt: skip
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "politique de l&#39;entreprise" in page and 'value="50"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PromiseToPay)) == 0
    done = client.post(
        url,
        data={"csrf_token": csrf_from(html), "amount": "50", "due_date": _day(5),
              "method": "cheque"},
    )  # fmt: skip
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/clients/{world.client.id}/invoices")
    db.session.expire_all()
    assert _last_verb(attempt) == "promise.recorded"


def test_plan_builder_splits_then_grants(login, world, attempt, csrf_from):
    client = login("candidat1")
    url = f"/clients/{world.client.id}/payment-plan"
    page = client.get(f"{url}?invoice_ids={world.overdue.id}&invoice_ids={world.late.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "180,50" in html
    # « Répartir » in 4: 45,12 × 3 and the remainder (45,14) on the last row, written the
    # French way like every other amount of the page (not « 45.12 » beside « 180,50 €»).
    split = client.post(
        url,
        data={"csrf_token": csrf_from(html), "invoice_ids": [world.overdue.id, world.late.id],
              "count": "4", "first_date": _day(2), "split": "Répartir"},
        follow_redirects=True,
    )  # fmt: skip
    assert split.status_code == 200
    html = split.get_data(as_text=True)
    assert html.count('value="45,12"') == 3 and 'value="45,14"' in html
    assert f'value="{_day(2)}"' in html and f'value="{_day(92)}"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PaymentPlan)) == 0
    # The candidate edits a date backwards: refused beside that cell, typed values kept.
    rows = {
        "installments-0-due_date": _day(2), "installments-0-amount": "45.12",
        "installments-1-due_date": _day(32), "installments-1-amount": "45.12",
        "installments-2-due_date": _day(20), "installments-2-amount": "45.12",
        "installments-3-due_date": _day(92), "installments-3-amount": "45.14",
    }  # fmt: skip
    base = {"csrf_token": csrf_from(html), "invoice_ids": [world.overdue.id, world.late.id],
            "count": "4", "first_date": _day(2)}  # fmt: skip
    refused = client.post(url, data={**base, **rows, "submit": "Accorder"}, follow_redirects=True)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Les dates doivent se suivre" in page and f'value="{_day(20)}"' in page
    rows["installments-2-due_date"] = _day(62)
    rows["installments-3-amount"] = "45.00"
    short = client.post(url, data={**base, **rows, "submit": "Accorder"}, follow_redirects=True)
    assert short.status_code == 422
    assert 'id="plan-error"' in short.get_data(as_text=True)
    rows["installments-3-amount"] = "45,14"
    granted = client.post(url, data={**base, **rows, "submit": "Accorder"})
    assert granted.status_code == 302
    db.session.expire_all()
    plan = db.session.scalars(sa.select(PaymentPlan)).one()
    assert [f"{i.amount}" for i in plan.installments] == ["45.12", "45.12", "45.12", "45.14"]
    assert _last_verb(attempt) == "plan.created"
    # The invoices page now shows the plan and no reminder button.
    html = client.get(f"/clients/{world.client.id}/invoices").get_data(as_text=True)
    assert f'id="plan-{plan.id}"' in html and "remind-invoice" not in html


def test_plan_split_needs_an_invoice(login, world, csrf_from):
    client = login("candidat1")
    url = f"/clients/{world.client.id}/payment-plan"
    html = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={"csrf_token": csrf_from(html), "count": "3", "split": "Répartir"},
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "Choisissez au moins une facture." in response.get_data(as_text=True)


def test_reminder_button_sends_the_next_level(login, world, attempt, csrf_from):
    client = login("candidat1")
    html = client.get(f"/clients/{world.client.id}/invoices").get_data(as_text=True)
    assert f'id="remind-invoice-{world.overdue.id}"' in html
    assert f'id="remind-invoice-{world.upcoming.id}"' not in html
    response = client.post(
        f"/invoices/{world.overdue.id}/reminders",
        data={"csrf_token": csrf_from(html), "level": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert _last_verb(attempt) == "reminder.sent"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Relance de niveau 1 envoyée." in page and "Relance niveau 2" in page
    skipped = client.post(
        f"/invoices/{world.overdue.id}/reminders",
        data={"csrf_token": csrf_from(html), "level": "3"},
    )
    assert skipped.status_code == 302
    page = client.get(skipped.headers["Location"]).get_data(as_text=True)
    assert "Niveau 2 attendu" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 1


def test_pages_refuse_other_attempts_and_roles(login, client, world):
    login("candidat1")
    assert client.get(f"/invoices/{world.foreign_invoice.id}/promise").status_code == 404
    foreign_client = world.foreign_invoice.client_id
    assert client.get(f"/clients/{foreign_client}/payment-plan").status_code == 404


def test_trainers_get_403(login, client, world):
    login("formateur")
    assert client.get(f"/invoices/{world.overdue.id}/promise").status_code == 403
    assert client.get(f"/clients/{world.client.id}/payment-plan").status_code == 403
    assert client.get(f"/clients/{world.client.id}/invoices").status_code == 403


def test_settled_dates_show_on_the_dunning_view_and_the_client_file(login, world, attempt, ctx):
    from decimal import Decimal

    from crm.actionlog.services import Ctx
    from crm.dunning.decisions import passed_at
    from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
    from crm.dunning.settling import settle_due_dates

    today = clock.today()
    promise = record_promise(ctx, world.overdue, Decimal("50.00"), today, "cheque")
    plan = create_payment_plan(
        ctx,
        world.client,
        [world.late],
        [InstallmentInput(today, Decimal("30.00")), InstallmentInput(_date(30), Decimal("30.50"))],
    )
    settle_due_dates(Ctx(attempt, None, "system"), passed_at(today))
    db.session.commit()
    client = login("candidat1")
    dunning = client.get(f"/clients/{world.client.id}/invoices").get_data(as_text=True)
    assert f'id="promise-{promise.id}"' in dunning and "Rompu" in dunning
    assert f'id="installment-{plan.installments[0].id}"' in dunning and "Impayée" in dunning
    # The broken plan no longer suspends its invoice's ladder.
    assert f'id="remind-invoice-{world.late.id}"' in dunning
    file = client.get(f"/clients/{world.client.id}").get_data(as_text=True)
    assert f'id="file-promise-{promise.id}"' in file and f'id="file-plan-{plan.id}"' in file
    assert "Impayée" in file


def _date(offset: int):
    return clock.today() + timedelta(days=offset)


def test_the_plan_button_shows_only_with_something_to_spread(login, world, attempt):
    client = login("candidat1")
    html = client.get(f"/clients/{world.client.id}/invoices").get_data(as_text=True)
    assert 'id="build-plan"' in html and 'id="nothing-to-plan"' not in html
    # The other client's only invoice is paid: no button that leads to « nothing to spread ».
    make_invoice(attempt, world.other_client, "T-FA-PAID", due_in=-5, amount="30.00", paid="30.00")
    db.session.commit()
    html = client.get(f"/clients/{world.other_client.id}/invoices").get_data(as_text=True)
    assert 'id="build-plan"' not in html
    assert 'id="nothing-to-plan"' in html and "tout est réglé" in html
