"""The default scenario's ladder and templates work with the reminder service as seeded."""

from __future__ import annotations

import sqlalchemy as sa

from crm import clock
from crm.dunning.reminders import invoice_in_active_plan, ladder, next_reminder, send_reminder
from crm.extensions import db
from crm.payments.models import Invoice


def test_every_allowed_reminder_of_the_seeded_world_renders(ctx, attempt):
    today = clock.today()
    steps = ladder(ctx)
    assert [s["level"] for s in steps] == list(range(1, len(steps) + 1))
    invoices = db.session.scalars(
        sa.select(Invoice).where(Invoice.attempt_id == attempt.id).order_by(Invoice.id)
    ).all()
    sent = 0
    for invoice in invoices:
        upcoming = next_reminder(invoice, steps, today, invoice_in_active_plan(invoice))
        while upcoming.allowed:
            reminder = send_reminder(ctx, invoice, upcoming.level)
            assert "{{" not in reminder.body and "}}" not in reminder.body
            if reminder.channel != "call":
                assert invoice.number in reminder.body
            sent += 1
            upcoming = next_reminder(invoice, steps, today, False)
    assert sent > 0
