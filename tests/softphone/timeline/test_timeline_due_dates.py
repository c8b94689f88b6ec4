"""The clock wakes when a promise's or an installment's date passes, and settles it then."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.dunning.decisions import PARIS, passed_at
from crm.dunning.models import PromiseToPay
from softphone.scenarios.agenda import due_times
from softphone.scenarios.scheduler import tick
from tests.factories import gen_client, gen_invoice


def _promise(attempt, due_date) -> PromiseToPay:
    client = gen_client(attempt, "T-CLK-1", "Horloge", phones=["06 11 22 33 44"])
    invoice = gen_invoice(attempt, client, "T-CLK-F1", due_in=-10, amount="90.00")
    promise = PromiseToPay(
        attempt_id=attempt.id,
        invoice_id=invoice.id,
        amount=Decimal("90.00"),
        due_date=due_date,
        method="transfer",
        status="pending",
    )
    db.session.add(promise)
    db.session.commit()
    return promise


def test_the_agenda_wakes_at_the_end_of_the_due_date_and_the_tick_settles(
    quiet, clock, attempt, tl
):
    due_date = tl.T0.astimezone(PARIS).date() + timedelta(days=2)
    promise = _promise(attempt, due_date)
    agenda = due_times(clock.now, [attempt.id])
    assert agenda.due[attempt.id] <= passed_at(due_date)
    # Before that moment the tick decides nothing.
    tick(clock.now, attempt_ids=[attempt.id])
    assert db.session.get(PromiseToPay, promise.id).status == "pending"

    clock.now = passed_at(due_date)
    report = tick(clock.now, attempt_ids=[attempt.id])
    assert [s.broken for s in report.settled] == [[promise.id]]
    db.session.expire_all()
    assert db.session.get(PromiseToPay, promise.id).status == "broken"
    action = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "promise.broken")
    ).one()
    assert action.actor_role == "system" and action.object_id == promise.id
    # Settled: the date no longer wakes the clock.
    assert due_times(clock.now, [attempt.id]).due.get(attempt.id) != passed_at(due_date)
