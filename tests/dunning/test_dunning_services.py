"""Promises, payment plans and reminders: exact actions, refusals that leave nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.dunning.models import PaymentPlan, PromiseToPay, Reminder
from crm.dunning.reminders import send_reminder
from crm.dunning.services import InstallmentInput, create_payment_plan, record_promise
from crm.errors import Conflict, NotFound, ValidationFailed
from crm.extensions import db
from crm.knowledge.models import MessageTemplate
from crm.knowledge.rendering import TemplateError

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world


def _count(model, attempt) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.attempt_id == attempt.id)
    )


# -- promises --


def test_record_promise(ctx, world, log):
    due = clock.today() + timedelta(days=10)
    promise = record_promise(ctx, world.overdue, Decimal("60.00"), due, "transfer")
    assert (promise.amount, promise.due_date, promise.status) == (Decimal("60.00"), due, "pending")
    [action] = log.new()
    assert action.verb == "promise.recorded"
    assert action.payload == {
        "invoice_id": world.overdue.id,
        "invoice": "T-FD-1",
        "client_id": world.client.id,
        "amount": "60.00",
        "amount_due": "120.00",
        "due_date": due.isoformat(),
        "method": "transfer",
        "invoice_status": "overdue",
    }


@pytest.mark.parametrize(
    ("amount", "days", "method", "fields"),
    [
        ("120.01", 5, "cheque", {"amount"}),
        ("0", 5, "cheque", {"amount"}),
        ("10.001", 5, "cheque", {"amount"}),
        ("10", -1, "cheque", {"due_date"}),
        ("10", 31, "cheque", {"due_date"}),
        ("10", 5, "cash", {"method"}),
        ("999", 45, "cash", {"amount", "due_date", "method"}),
    ],
)
def test_promise_refusals(ctx, world, attempt, log, amount, days, method, fields):
    due = clock.today() + timedelta(days=days)
    with pytest.raises(ValidationFailed) as info:
        record_promise(ctx, world.overdue, Decimal(amount), due, method)
    db.session.rollback()
    assert set(info.value.fields) == fields
    assert _count(PromiseToPay, attempt) == 0 and log.new() == []


def test_promise_bounds_are_inclusive_and_say_why(ctx, world):
    today = clock.today()
    record_promise(ctx, world.overdue, Decimal("1"), today, "card")
    record_promise(ctx, world.overdue, Decimal("1"), today + timedelta(days=30), "card")
    with pytest.raises(ValidationFailed) as info:
        record_promise(ctx, world.overdue, Decimal("1"), today + timedelta(days=31), "card")
    assert "politique de l'entreprise" in info.value.fields["due_date"]
    assert "30 jours" in info.value.fields["due_date"]


def test_promise_on_a_paid_or_foreign_invoice(ctx, world, log):
    day = clock.today()
    with pytest.raises(Conflict) as info:
        record_promise(ctx, world.paid, Decimal("1"), day, "card")
    assert info.value.code == "already_paid"
    with pytest.raises(NotFound):
        record_promise(ctx, world.foreign_invoice, Decimal("1"), day, "card")
    assert log.new() == []


# -- payment plans --


def _schedule(*pairs):
    today = clock.today()
    return [InstallmentInput(today + timedelta(days=d), Decimal(a)) for d, a in pairs]


def test_create_payment_plan(ctx, world, log):
    # Owed: 120.00 + 60.50 = 180.50
    rows = _schedule((0, "60.00"), (30, "60.00"), (60, "60.50"))
    plan = create_payment_plan(ctx, world.client, [world.overdue, world.late], rows)
    assert (plan.status, plan.total) == ("active", Decimal("180.50"))
    assert [i.seq for i in plan.installments] == [1, 2, 3]
    assert {inv.id for inv in plan.invoices} == {world.overdue.id, world.late.id}
    [action] = log.new()
    assert action.verb == "plan.created"
    assert action.payload["total"] == "180.50"
    assert action.payload["invoices"] == [
        {"id": world.overdue.id, "number": "T-FD-1", "amount_due": "120.00"},
        {"id": world.late.id, "number": "T-FD-2", "amount_due": "60.50"},
    ]
    assert [i["amount"] for i in action.payload["installments"]] == ["60.00", "60.00", "60.50"]
    assert action.payload["installments"][0]["due_date"] == clock.today().isoformat()


@pytest.mark.parametrize(
    ("rows", "field", "words"),
    [
        (((0, "60.00"), (30, "60.00")), "installments", "180,50"),
        (((0, "180.50"),), "installments", "De 2 à 12"),
        (((0, "60"), (30, "60"), (20, "60.50")), "installments[2].due_date", "se suivre"),
        (((0, "60"), (40, "120.50")), "installments[1].due_date", "31 jours"),
        (((-2, "60"), (20, "120.50")), "installments[0].due_date", "antérieure"),
    ],
)
def test_plan_refusals_name_the_field(ctx, world, attempt, log, rows, field, words):
    with pytest.raises(ValidationFailed) as info:
        create_payment_plan(ctx, world.client, [world.overdue, world.late], _schedule(*rows))
    db.session.rollback()
    assert field in info.value.fields and words in info.value.fields[field]
    assert _count(PaymentPlan, attempt) == 0 and log.new() == []


def test_plan_invoice_refusals(ctx, world, attempt, log):
    rows = _schedule((0, "5.00"), (30, "5.00"))
    for invoices, words in (
        ([], "au moins une"),
        ([world.overdue, world.overdue], "deux fois"),
        ([world.paid], "déjà réglées"),
    ):
        with pytest.raises(ValidationFailed) as info:
            create_payment_plan(ctx, world.client, invoices, rows)
        assert words in info.value.fields["invoice_ids"]
    with pytest.raises(ValidationFailed) as info:
        create_payment_plan(ctx, world.other_client, [world.overdue], rows)
    assert "autre client" in info.value.fields["invoice_ids"]
    with pytest.raises(NotFound):
        create_payment_plan(ctx, world.client, [world.foreign_invoice], rows)
    db.session.rollback()
    assert _count(PaymentPlan, attempt) == 0 and log.new() == []


def test_an_invoice_is_in_one_active_plan_at_most(ctx, world, log):
    create_payment_plan(ctx, world.client, [world.overdue], _schedule((0, "60"), (30, "60")))
    with pytest.raises(Conflict) as info:
        create_payment_plan(
            ctx, world.client, [world.overdue, world.late], _schedule((0, "90"), (30, "90.50"))
        )
    assert info.value.code == "already_in_plan"
    assert [a.verb for a in log.new()] == ["plan.created"]


# -- reminders --


def test_send_the_first_reminder(ctx, world, people, log):
    reminder = send_reminder(ctx, world.overdue, 1)
    assert (reminder.level, reminder.channel) == (1, "email")
    due_on = world.overdue.due_on.strftime("%d/%m/%Y")
    assert reminder.body == (
        f"Bonjour Mme Retard, la facture T-FD-1 (120,00 €) était due le {due_on}. "
        f"{people['cand1'].display_name}, Bureau Test"
    )
    assert world.overdue.dunning_level == 1
    [action] = log.new()
    assert action.verb == "reminder.sent"
    assert action.payload["dunning_level"] == {"old": 0, "new": 1}
    assert action.payload["subject"] == "Facture T-FD-1"
    assert (action.payload["level"], action.payload["channel"]) == (1, "email")
    assert action.payload["days_overdue"] == 20 and action.payload["amount_due"] == "120.00"


def test_levels_follow_the_ladder_without_skipping(ctx, world, attempt, log):
    with pytest.raises(ValidationFailed) as info:
        send_reminder(ctx, world.overdue, 2)
    assert "Niveau 1 attendu" in info.value.fields["level"]
    send_reminder(ctx, world.overdue, 1)
    send_reminder(ctx, world.overdue, 2)
    with pytest.raises(Conflict) as info:
        send_reminder(ctx, world.overdue, 3)  # 20 days late; level 3 waits for 30
    assert info.value.code == "too_early"
    assert info.value.details["earliest"] == (world.overdue.due_on + timedelta(30)).isoformat()
    send_reminder(ctx, world.late, 1)
    send_reminder(ctx, world.late, 2)
    assert send_reminder(ctx, world.late, 3).body == "Mise en demeure Retard"
    with pytest.raises(Conflict) as info:
        send_reminder(ctx, world.late, 4)
    assert info.value.code == "ladder_done"
    assert [a.payload["level"] for a in log.new()] == [1, 2, 1, 2, 3]
    assert _count(Reminder, attempt) == 5


@pytest.mark.parametrize(
    ("invoice", "code"),
    [("upcoming", "not_overdue"), ("paid", "already_paid")],
)
def test_only_overdue_invoices_are_reminded(ctx, world, attempt, log, invoice, code):
    with pytest.raises(Conflict) as info:
        send_reminder(ctx, getattr(world, invoice), 1)
    assert info.value.code == code
    assert _count(Reminder, attempt) == 0 and log.new() == []


def test_reminders_are_suspended_only_on_invoices_inside_an_active_plan(ctx, world, attempt):
    # The reported bug: a plan on T-FD-2 suspended reminders on T-FD-1, which is outside it.
    create_payment_plan(ctx, world.client, [world.late], _schedule((0, "30"), (30, "30.50")))
    with pytest.raises(Conflict) as info:
        send_reminder(ctx, world.late, 1)
    assert info.value.code == "in_plan"
    assert world.late.dunning_level == 0
    send_reminder(ctx, world.overdue, 1)
    assert world.overdue.dunning_level == 1


def test_the_recipient_is_recorded_even_when_missing(ctx, world, log):
    send_reminder(ctx, world.overdue, 1)
    world.client.phones[0].e164 = "+33478000000"  # a landline: no SMS possible
    send_reminder(ctx, world.overdue, 2)
    first, second = log.new()
    assert first.payload["recipient"] == "retard@example.fr"
    assert second.payload["recipient"] is None
    assert world.overdue.dunning_level == 2


def test_a_template_with_an_unknown_variable_is_refused(ctx, world, attempt, log):
    template = db.session.scalar(
        sa.select(MessageTemplate).where(
            MessageTemplate.attempt_id == attempt.id, MessageTemplate.key == "t-relance-1"
        )
    )
    template.body = "Bonjour {{ client.nickname }}"
    with pytest.raises(TemplateError) as info:
        send_reminder(ctx, world.overdue, 1)
    assert "client.nickname" in info.value.message
    db.session.rollback()
    assert _count(Reminder, attempt) == 0 and log.new() == []


def test_foreign_invoice_is_not_found(ctx, world):
    with pytest.raises(NotFound):
        send_reminder(ctx, world.foreign_invoice, 1)
