"""A pack's `reminders_sent`: an invoice reminded before the shift starts at its level, with its
reminders in its history, and the ladder goes on from there."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.db import db
from crm.dunning.models import Reminder
from crm.dunning.reminders import send_reminder
from crm.errors import Conflict, ValidationFailed
from crm.payments.models import Invoice
from crm.training.services import change_shift_status, create_shift


@pytest.fixture
def nordal(app, people):
    """A candidate's attempt in a running shift on the collections pack."""
    shift = create_shift("recouvrement-nordal", [people["cand1"]], created_by=people["trainer"])
    change_shift_status(shift, "start")
    db.session.flush()
    (attempt,) = shift.attempts
    return Ctx(attempt, people["cand1"].id, "candidate")


def invoice(ctx: Ctx, number: str) -> Invoice:
    return db.session.scalar(
        sa.select(Invoice).where(Invoice.attempt_id == ctx.attempt.id, Invoice.number == number)
    )


def test_an_invoice_reminded_twice_starts_at_level_two_with_its_reminders(nordal):
    """M. Olivier's file says « relance e-mail puis SMS »: the invoice holds both reminders, on
    the ladder's days (due -20 days: e-mail at +5, SMS at +15), and no other invoice has any."""
    twice = invoice(nordal, "FN-2026-10328")
    assert twice.dunning_level == 2
    sent = db.session.scalars(
        sa.select(Reminder).where(Reminder.invoice_id == twice.id).order_by(Reminder.level)
    ).all()
    assert [(r.level, r.channel) for r in sent] == [(1, "email"), (2, "sms")]
    assert [(r.sent_at.date() - twice.due_on).days for r in sent] == [5, 15]
    assert invoice(nordal, "FN-2026-10335").dunning_level == 1
    assert nordal.attempt.settings["reminders_sent"]["FN-2026-10328"] == 2
    others = db.session.scalar(
        sa.select(sa.func.count(Reminder.id)).where(
            Reminder.attempt_id == nordal.attempt.id,
            Reminder.invoice_id.not_in(
                [twice.id, invoice(nordal, "FN-2026-10335").id,
                 invoice(nordal, "FN-2026-10426").id, invoice(nordal, "FN-2026-10433").id]
            ),
        )
    )  # fmt: skip
    assert others == 0


def test_the_ladder_goes_on_from_the_level_reached(nordal):
    """Level 1 again is refused: the next step is the reminder call, level 3 (not due before 30
    days past the due date, so it waits); a fresh invoice starts at level 1."""
    twice = invoice(nordal, "FN-2026-10328")
    with pytest.raises(ValidationFailed) as refused:
        send_reminder(nordal, twice, 1)
    assert "Niveau 3 attendu" in refused.value.fields["level"]
    assert "niveau actuel 2" in refused.value.fields["level"]
    with pytest.raises(Conflict):
        send_reminder(nordal, twice, 3)
    assert twice.dunning_level == 2
