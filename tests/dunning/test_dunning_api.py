"""API: promises, payment plans and reminders, with every refusal."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.extensions import db


def _day(offset: int) -> str:
    return (clock.today() + timedelta(days=offset)).isoformat()


def _verbs(attempt) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Action.verb).where(Action.attempt_id == attempt.id).order_by(Action.seq)
        )
    )


def test_promise(api, world, attempt):
    me = api.as_("candidat1")
    body = {"invoice_id": world.overdue.id, "amount": "50,00", "due_date": _day(7),
            "method": "transfer"}  # fmt: skip
    response = me.post("/promises", body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["amount"] == "50.00"
    assert response.get_json()["due_date"] == _day(7)
    assert _verbs(attempt)[-1] == "promise.recorded"
    late = me.post("/promises", {**body, "due_date": _day(31)})
    assert late.status_code == 422 and "30 jours" in late.get_json()["error"]["fields"]["due_date"]
    bad = me.post("/promises", {**body, "due_date": "12/03/2026", "amount": "0.001"})
    assert set(bad.get_json()["error"]["fields"]) == {"due_date", "amount"}
    assert me.post("/promises", {**body, "invoice_id": world.foreign_invoice.id}).status_code == 404
    paid = me.post("/promises", {**body, "invoice_id": world.paid.id})
    assert paid.status_code == 409 and paid.get_json()["error"]["code"] == "already_paid"
    assert api.post("/promises", body).status_code == 401
    assert api.as_("formateur").post("/promises", body).status_code == 403


def _plan_body(world, *rows):
    return {
        "client_id": world.client.id,
        "invoice_ids": [world.overdue.id, world.late.id],
        "installments": [{"due_date": _day(d), "amount": a} for d, a in rows],
    }


def test_payment_plan(api, world, attempt):
    me = api.as_("candidat1")
    response = me.post("/payment-plans", _plan_body(world, (0, "90.00"), (30, "90.50")))
    assert response.status_code == 201, response.get_json()
    plan = response.get_json()
    assert (plan["status"], plan["total"]) == ("active", "180.50")
    assert [i["amount"] for i in plan["installments"]] == ["90.00", "90.50"]
    assert {i["number"] for i in plan["invoices"]} == {"T-FD-1", "T-FD-2"}
    assert _verbs(attempt)[-1] == "plan.created"
    listing = me.get("/payment-plans", client_id=world.client.id).get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == plan["id"]
    assert me.get("/payment-plans", client_id=world.other_client.id).get_json()["total"] == 0
    again = me.post("/payment-plans", _plan_body(world, (0, "90.00"), (30, "90.50")))
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_in_plan"


def test_payment_plan_refusals(api, world, attempt):
    me = api.as_("candidat1")
    count = len(_verbs(attempt))
    short = me.post("/payment-plans", _plan_body(world, (0, "90.00"), (30, "90.00")))
    assert short.status_code == 422
    message = short.get_json()["error"]["fields"]["installments"]
    assert "180,00" in message and "180,50" in message
    back = me.post("/payment-plans", _plan_body(world, (0, "60.00"), (20, "60.00"), (10, "60.50")))
    assert back.status_code == 422
    assert set(back.get_json()["error"]["fields"]) == {"installments[2].due_date"}
    typed = me.post(
        "/payment-plans",
        {**_plan_body(world), "installments": [{"due_date": "demain", "amount": "1"}, "x"]},
    )
    assert set(typed.get_json()["error"]["fields"]) == {
        "installments[0].due_date", "installments[1]",
    }  # fmt: skip
    missing = me.post("/payment-plans", {"client_id": world.client.id})
    assert set(missing.get_json()["error"]["fields"]) == {"invoice_ids", "installments"}
    foreign = me.post(
        "/payment-plans",
        {**_plan_body(world, (0, "25"), (30, "25")), "invoice_ids": [world.foreign_invoice.id]},
    )
    assert foreign.status_code == 404
    other = me.post(
        "/payment-plans", {**_plan_body(world, (0, "1"), (30, "1")), "client_id": 999999}
    )
    assert other.status_code == 404
    assert len(_verbs(attempt)) == count
    assert api.get("/payment-plans").status_code == 401
    assert api.as_("jury").get("/payment-plans").status_code == 403
    assert me.get("/payment-plans", client_id=world.foreign_invoice.client_id).status_code == 404


def test_reminders(api, world, attempt):
    me = api.as_("candidat1")
    url = f"/invoices/{world.overdue.id}/reminders"
    skip = me.post(url, {"level": 2})
    assert skip.status_code == 422 and "level" in skip.get_json()["error"]["fields"]
    first = me.post(url, {"level": 1})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["channel"] == "email" and "T-FD-1" in first.get_json()["body"]
    assert me.post(url, {"level": 2}).status_code == 201
    early = me.post(url, {"level": 3})
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "too_early"
    assert (
        early.get_json()["error"]["earliest"]
        == (world.overdue.due_on + timedelta(days=30)).isoformat()
    )
    assert me.get(f"/invoices/{world.overdue.id}").get_json()["dunning_level"] == 2
    upcoming = me.post(f"/invoices/{world.upcoming.id}/reminders", {"level": 1})
    assert upcoming.status_code == 409 and upcoming.get_json()["error"]["code"] == "not_overdue"
    assert me.post(url, {"level": "trois"}).status_code == 422
    assert (
        me.post(f"/invoices/{world.foreign_invoice.id}/reminders", {"level": 1}).status_code == 404
    )
    assert api.post(url, {"level": 3}).status_code == 401
    assert api.as_("formateur").post(url, {"level": 3}).status_code == 403


def test_malformed_json(api, client, world):
    me = api.as_("candidat1")
    for path in ("/promises", "/payment-plans", f"/invoices/{world.overdue.id}/reminders"):
        response = client.post(
            "/api/v1" + path,
            data="[1, 2",
            headers={**me._headers(), "Content-Type": "application/json"},
        )
        assert response.status_code == 400, path
