"""The client's file read before acting; the invoice history before collecting a debt."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import record
from crm.clients.services import view_client
from crm.db import db
from crm.dunning.reminders import invoice_in_active_plan, ladder, next_reminder, send_reminder
from crm.dunning.services import record_promise
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from crm.payments.models import Invoice
from tests.evaluation.conftest import last
from tests.evaluation.test_rules_payments import invoice


def test_nothing_to_read_without_a_contact_with_a_client(desk, judge):
    desk.open(None, channel="email")
    desk.qualify("INFO")
    assert judge("client_file_consulted").status == NOT_OBSERVED


def test_the_file_read_before_the_order_is_met(desk, judge):
    client = desk.client("C10013")
    desk.open(client)
    view_client(desk.ctx, client)
    viewed = last("client.viewed")
    desk.verify(client)
    desk.order(client)
    result = judge("client_file_consulted")
    assert (result.status, result.met_ids) == (MET, (viewed.id,))


def test_acting_without_reading_is_not_met_and_the_read_contact_is_cited(desk, judge):
    client = desk.client("C10013")
    read = desk.open(client)
    view_client(desk.ctx, client)
    viewed = last("client.viewed")
    desk.qualify("INFO")
    unread = desk.open(client)
    desk.verify(client)
    desk.order(client)
    created = last("order.created")
    result = judge("client_file_consulted")
    assert result.status == NOT_MET
    assert (result.not_met_ids, result.met_ids) == ((created.id,), (viewed.id,))
    assert f"contacts n° {unread.id}" in result.explanation
    assert f"Respecté : contact n° {read.id}" in result.explanation


def test_a_promise_without_the_invoice_history_is_not_met(attempt, desk, judge):
    client = desk.client("C10013")
    debt = invoice(attempt, client, "T-FA-9", "120.00")
    contact = desk.open(client)
    view_client(desk.ctx, client)  # the file, but not the invoices
    record_promise(desk.ctx, debt, Decimal("120.00"), clock.today() + timedelta(days=5), "cheque")
    db.session.flush()
    result = judge("client_file_consulted")
    assert result.status == NOT_MET
    assert f"historique des factures : contacts n° {contact.id}" in result.explanation


def test_a_promise_after_the_invoice_history_is_met(attempt, desk, judge):
    client = desk.client("C10013")
    debt = invoice(attempt, client, "T-FA-9", "120.00")
    desk.open(client)
    record(desk.ctx, "invoices.viewed", client, {"client_id": client.id, "count": 1})
    viewed = last("invoices.viewed")
    record_promise(desk.ctx, debt, Decimal("120.00"), clock.today() + timedelta(days=5), "cheque")
    db.session.flush()
    result = judge("client_file_consulted")
    assert (result.status, result.met_ids) == (MET, (viewed.id,))


def test_a_reminder_sent_without_the_invoice_history_is_not_met(attempt, desk, judge):
    steps = ladder(desk.ctx)
    due = next(
        (inv, step)
        for inv in db.session.scalars(sa.select(Invoice).where(Invoice.attempt_id == attempt.id))
        if (step := next_reminder(inv, steps, clock.today(), invoice_in_active_plan(inv))).allowed
    )
    invoice_row, upcoming = due
    contact = desk.open(invoice_row.client)
    send_reminder(desk.ctx, invoice_row, upcoming.level)
    sent = last("reminder.sent")
    result = judge("client_file_consulted")
    assert (result.status, result.not_met_ids) == (NOT_MET, (sent.id,))
    assert f"historique des factures : contacts n° {contact.id}" in result.explanation
