"""What a message template may say about a conversation: the values of its variables.

`crm.knowledge.rendering` refuses unknown variables and variables without a value here, so a
template about an invoice cannot go to a conversation with no client or no invoice.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx
from crm.auth.models import User
from crm.claims.models import Claim
from crm.clients.models import Client, ContactPerson
from crm.contacts.models import Appointment
from crm.db import db
from crm.dunning.models import PaymentPlan
from crm.knowledge.rendering import format_value
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice
from crm.phones import normalize_phone
from crm.training.timeline import TimelineEvent


def client_values(client: Client) -> dict:
    """The client.* variables."""
    return {
        "title": client.title,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "company_name": client.company_name,
        "number": client.number,
    }


#: Every reply names its writer: built once (crm/db.py: hot statements).
_CORRESPONDENTS = sa.select(TimelineEvent).where(
    TimelineEvent.attempt_id == sa.bindparam("attempt_id"),
    TimelineEvent.customer_state.is_not(None),
)


def writer_name(conversation) -> str | None:
    """Who wrote a conversation: the client's contact person with that address or number,
    else the scenario's correspondent who opened it (the sender's display name); None if
    nobody is known beyond the address."""
    client = conversation.client
    if client is not None:
        for person in db.session.scalars(
            sa.select(ContactPerson).where(ContactPerson.client_id == client.id)
        ):
            if conversation.party in (
                (person.email or "").strip().lower(),
                person.phone and normalize_phone(person.phone),
            ):
                return f"{person.first_name} {person.last_name}".strip()
    events = db.session.scalars(_CORRESPONDENTS, {"attempt_id": conversation.attempt_id})
    for event in events:
        if event.customer_state.get("conversation_id") == conversation.id:
            name = (event.payload.get("persona") or {}).get("name")
            if name:
                return name
    return None


def order_values(order: Order) -> dict:
    """The order.* variables: number, total including VAT, date ordered."""
    ordered = order.ordered_on or order.created_at.date()
    return {"number": order.number, "total": order_totals(order.lines).gross, "date": ordered}


def latest_order(client: Client) -> Order | None:
    """The client's most recent order in the attempt."""
    return db.session.scalar(
        sa.select(Order)
        .where(Order.attempt_id == client.attempt_id, Order.client_id == client.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(1)
    )


def relevant_invoice(client: Client) -> Invoice | None:
    """The client's oldest invoice still owed, else their most recent one."""
    base = sa.select(Invoice).where(
        Invoice.attempt_id == client.attempt_id, Invoice.client_id == client.id
    )
    owed = db.session.scalar(
        base.where(Invoice.amount_paid < Invoice.amount).order_by(Invoice.due_on, Invoice.id)
    )
    return owed or db.session.scalar(base.order_by(Invoice.issued_on.desc(), Invoice.id.desc()))


def plan_summary(plan: PaymentPlan, language: str) -> str:
    """A payment plan in one line: "3 échéances : 100,00 € le 12/05/2026, …"."""
    french = language == "fr"
    parts = ", ".join(
        f"{format_value(i.amount, language)} {'le' if french else 'on'} "
        f"{format_value(i.due_date, language)}"
        for i in plan.installments
    )
    count = len(plan.installments)
    return f"{count} échéances : {parts}" if french else f"{count} instalments: {parts}"


def _plan(client: Client) -> PaymentPlan | None:
    return db.session.scalar(
        sa.select(PaymentPlan)
        .where(
            PaymentPlan.attempt_id == client.attempt_id,
            PaymentPlan.client_id == client.id,
            PaymentPlan.status == "active",
        )
        .order_by(PaymentPlan.id.desc())
        .limit(1)
    )


def _appointment(client: Client) -> Appointment | None:
    """The client's next booked appointment, else their latest one."""
    base = sa.select(Appointment).where(
        Appointment.attempt_id == client.attempt_id,
        Appointment.client_id == client.id,
        Appointment.status == "booked",
    )
    upcoming = db.session.scalar(
        base.where(Appointment.starts_at >= clock.now()).order_by(Appointment.starts_at).limit(1)
    )
    return upcoming or db.session.scalar(base.order_by(Appointment.starts_at.desc()).limit(1))


def _claim(client: Client) -> Claim | None:
    return db.session.scalar(
        sa.select(Claim)
        .where(Claim.attempt_id == client.attempt_id, Claim.client_id == client.id)
        .order_by(Claim.id.desc())
        .limit(1)
    )


def message_values(
    ctx: Ctx,
    client: Client | None,
    *,
    order: Order | None = None,
    invoice: Invoice | None = None,
    language: str = "fr",
    recipient: str | None = None,
) -> dict[str, dict]:
    """Variables for a message to `client`: the given order/invoice or the most relevant ones.

    `recipient.name` is whom the message greets: `recipient` (the person who wrote), else the
    account holder.
    """
    company = ctx.attempt.settings.get("company", {})
    agent = db.session.get(User, ctx.actor_id) if ctx.actor_id else None
    values: dict[str, dict] = {
        "company": {"name": company.get("name"), "phone": company.get("phone")},
        "agent": {"name": agent.display_name if agent else ""},
    }
    if recipient:
        values["recipient"] = {"name": recipient}
    if client is not None:
        values["client"] = client_values(client)
        values.setdefault("recipient", {"name": client.addressee})
        order = order or latest_order(client)
        invoice = invoice or relevant_invoice(client)
    if order is not None:
        values["order"] = order_values(order)
    if invoice is not None:
        values["invoice"] = {
            "number": invoice.number,
            "amount_due": invoice.amount_due,
            "due_on": invoice.due_on,
        }
    if client is None:
        return values
    if (plan := _plan(client)) is not None:
        values["plan"] = {"summary": plan_summary(plan, language)}
    if (appointment := _appointment(client)) is not None:
        values["appointment"] = {"starts_at": appointment.starts_at, "with": appointment.rep.name}
    if (claim := _claim(client)) is not None:
        values["claim"] = {"number": claim.number}
    return values
