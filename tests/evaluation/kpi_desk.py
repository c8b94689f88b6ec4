"""A candidate's shift worked through the real services, with a hand-moved house clock.

Shared by the KPI and report tests: `work_the_desk` plays calls, an order, an email and an SMS
and returns what it did, so the tests can assert each KPI against figures known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

import crm.clock
from crm.actionlog.services import Ctx
from crm.catalog.models import Product
from crm.clients.models import Client, ClientPhone
from crm.contacts.services import qualify_contact
from crm.db import db
from crm.orders.checkout import confirm_order, read_recap
from crm.orders.pricing import order_totals
from crm.orders.services import add_line, create_order
from softphone.inbox.receiving import receive_message
from softphone.inbox.sending import reply
from softphone.inbox.services import qualify_conversation
from softphone.phone.services import (
    abandon_call,
    answer_call,
    hang_up,
    hold_call,
    offer_inbound_call,
    resume_call,
    set_agent_state,
)
from tests.clocks import FakeClock

KNOWN_PHONE, UNKNOWN_PHONE = "04 99 00 00 01", "04 99 00 00 02"


@dataclass
class Worked:
    """What `work_the_desk` did, for the assertions."""

    logged_on_seconds: float
    order_total: Decimal


def _world(attempt) -> tuple[Client, Product, Product]:
    """A client with a known phone number and two products of our own in the attempt."""
    client = Client(attempt_id=attempt.id, number="K00001", kind="client", last_name="Kpi")
    client.phones.append(
        ClientPhone(attempt_id=attempt.id, number=KNOWN_PHONE, e164="+33499000001")
    )
    paper, pens = (
        Product(
            attempt_id=attempt.id,
            sku=sku,
            name=name,
            category="Test",
            sale_unit_label="Boîte",
            sale_unit_quantity=1,
            unit_price=Decimal(price),
            vat_rate=Decimal("20.00"),
            stock=100,
        )
        for sku, name, price in (("KPI-1", "Papier", "10.00"), ("KPI-2", "Stylos", "5.00"))
    )
    db.session.add_all([client, paper, pens])
    db.session.commit()
    return client, paper, pens


def work_the_desk(app, attempt, candidate_id: int, trainer_id: int, *, long_call=True) -> Worked:
    """Calls (one with hold and a sale, one lost, one unknown caller), an email, an SMS.

    With `long_call=False`, a single short call (10 s talk, 5 s after-call work) instead.
    """
    clock = FakeClock(crm.clock.now() - timedelta(hours=1))
    app.config["CLOCK"] = clock
    ctx = Ctx(attempt, candidate_id, "candidate")
    trainer = Ctx(attempt, trainer_id, "trainer")
    client, paper, pens = _world(attempt)
    start = clock.now
    set_agent_state(ctx, "ready")
    db.session.commit()
    total = Decimal("0.00")

    if long_call:
        # Call A: known client, 5 s ringing, 60 s talk, 30 s hold, 30 s talk, sale, 20 s wrap-up.
        call = offer_inbound_call(trainer, KNOWN_PHONE)
        clock.advance(5)
        answer = answer_call(ctx, call)
        in_call = replace(ctx, interaction=("contact", answer.contact.id))
        clock.advance(60)
        hold_call(ctx, call)
        clock.advance(30)
        resume_call(ctx, call)
        clock.advance(30)
        order = create_order(in_call, client)
        add_line(in_call, order, paper, 2)
        add_line(in_call, order, pens, 1, additional=True)
        read_recap(in_call, order)
        confirm_order(in_call, order)
        total = order_totals(order.lines).gross
        hang_up(ctx, call)
        clock.advance(20)
        qualify_contact(ctx, answer.contact, "VENTE", "Commande passée.")
        db.session.commit()

        # Call B: lost after 8 s of ringing.
        call = offer_inbound_call(trainer, KNOWN_PHONE)
        clock.advance(8)
        abandon_call(trainer, call)
        db.session.commit()

        # Call C: unknown caller, 40 s talk, 10 s wrap-up, nobody reached (ABSENT, family CNA).
        call = offer_inbound_call(trainer, UNKNOWN_PHONE)
        clock.advance(2)
        answer = answer_call(ctx, call)
        clock.advance(40)
        hang_up(ctx, call)
        clock.advance(10)
        qualify_contact(ctx, answer.contact, "ABSENT", "Personne absente.")
        db.session.commit()
    else:
        call = offer_inbound_call(trainer, UNKNOWN_PHONE)
        answer = answer_call(ctx, call)
        clock.advance(10)
        hang_up(ctx, call)
        clock.advance(5)
        qualify_contact(ctx, answer.contact, "INFO", "Renseignement donné.")
        db.session.commit()

    # An email answered at once (within its 24 h), an SMS left unanswered past its 4 h.
    customer = Ctx(attempt, trainer_id, "customer")
    email = receive_message(customer, "email", "lecteur@example.org", "Vos horaires ?", "Horaires")
    reply(ctx, email.conversation, body="Nous sommes ouverts de 9 h à 18 h.")
    qualify_conversation(ctx, email.conversation, "INFO", "Horaires donnés.")
    receive_message(
        customer, "sms", "06 12 34 56 78", "Rappelez-moi", now=crm.clock.now() - timedelta(hours=5)
    )
    db.session.commit()

    clock.advance(100)
    set_agent_state(ctx, "offline")
    db.session.commit()
    return Worked((clock.now - start).total_seconds(), total)
