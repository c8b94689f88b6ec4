"""Dunning reminders: the scenario's ladder, the next step of an invoice, sending it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from crm import channels, clock
from crm.actionlog.services import Ctx, check_attempt, record
from crm.auth.models import User
from crm.clients.models import Client
from crm.db import db
from crm.dunning.models import Reminder
from crm.dunning.services import fr_date, invoices_in_active_plan
from crm.errors import Conflict, ValidationFailed
from crm.i18n import _
from crm.knowledge.models import MessageTemplate
from crm.knowledge.rendering import render_text
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice
from crm.payments.states import status_of


@dataclass(frozen=True)
class NextReminder:
    """The ladder's next step for an invoice, and whether it may be sent today."""

    level: int | None
    step: dict | None
    allowed: bool
    #: Machine reason when not allowed: already_paid, not_overdue, in_plan, ladder_done, too_early.
    reason: str | None = None
    message: str | None = None
    earliest: date | None = None


def invoice_in_active_plan(invoice: Invoice) -> bool:
    """Whether this invoice is inside an active payment plan (its reminders then stop).

    Only the plan's own invoices: another invoice of the same client keeps its ladder.
    """
    return invoice.id in invoices_in_active_plan([invoice.id])


def ladder(ctx: Ctx) -> list[dict]:
    """The scenario's dunning ladder, by level."""
    return sorted(ctx.attempt.settings.get("dunning_ladder", []), key=lambda s: s["level"])


def next_reminder(invoice: Invoice, steps: list[dict], today: date, in_plan: bool) -> NextReminder:
    """The next step of the ladder for an invoice and whether it may be sent today."""
    level = invoice.dunning_level + 1
    step = next((s for s in steps if s["level"] == level), None)
    status = status_of(invoice, today)
    if status == "paid":
        return NextReminder(
            level, step, False, "already_paid", _("Facture réglée : pas de relance.")
        )
    if step is None:
        return NextReminder(
            None, None, False, "ladder_done", _("Dernier niveau de relance déjà atteint.")
        )
    if in_plan:
        return NextReminder(
            level,
            step,
            False,
            "in_plan",
            _("Facture en échéancier : ses relances sont suspendues."),
        )
    if status != "overdue":
        return NextReminder(
            level,
            step,
            False,
            "not_overdue",
            _("Facture non échue : pas de relance avant terme."),
        )
    earliest = invoice.due_on + timedelta(days=int(step.get("days_after_due", 0)))
    if today < earliest:
        return NextReminder(
            level,
            step,
            False,
            "too_early",
            _(
                "La relance de niveau %(level)s est prévue à partir du %(date)s "
                "(%(days)s jours après l'échéance).",
                level=level,
                date=fr_date(earliest),
                days=step.get("days_after_due"),
            ),
            earliest,
        )
    return NextReminder(level, step, True, earliest=earliest)


def _message_values(ctx: Ctx, invoice: Invoice) -> dict[str, dict]:
    """What a reminder template may use: client, invoice, its order, company, agent."""
    client = invoice.client
    company = ctx.attempt.settings.get("company", {})
    agent = db.session.get(User, ctx.actor_id) if ctx.actor_id else None
    values = {
        "client": {
            "title": client.title,
            "first_name": client.first_name,
            "last_name": client.last_name,
            "company_name": client.company_name,
            "number": client.number,
        },
        "invoice": {
            "number": invoice.number,
            "amount_due": invoice.amount_due,
            "due_on": invoice.due_on,
        },
        "recipient": {"name": client.addressee},
        "company": {"name": company.get("name"), "phone": company.get("phone")},
        "agent": {"name": agent.display_name if agent else ""},
    }
    if invoice.order_id:
        order = db.session.get(Order, invoice.order_id)
        values["order"] = {
            "number": order.number,
            "total": order_totals(order.lines).gross,
            "date": order.ordered_on,
        }
    return values


#: Dunning step name → how a reminder on it is named in a sentence (the channels registry's).
CHANNEL_LABELS = channels.reminder_words()


def recipient(client: Client, step: str) -> str | None:
    """Where a reminder of a dunning `step` goes, by the address its channel needs: email,
    mobile, a phone (a mobile first, else any number), postal address.

    A missing address does not block the ladder (a landline client still moves on to the
    next steps); the action records None so an evaluator sees it.
    """
    channel = channels.of_dunning_step(step)
    kind = channel.address_kind if channel else None
    if kind == "email":
        return client.email or None
    if kind in ("mobile", "phone"):
        numbers = [p.e164 for p in client.phones]
        mobiles = [n for n in numbers if n.startswith(("+336", "+337"))]
        if kind == "mobile":
            return mobiles[0] if mobiles else None
        return (mobiles or numbers or [None])[0]
    if kind == "postal" and client.street and client.postcode and client.city:
        return f"{client.street}, {client.postcode} {client.city}"
    return None


def send_reminder(ctx: Ctx, invoice: Invoice, level: int) -> Reminder:
    """Send the ladder's next reminder on an overdue invoice, its message from the template."""
    check_attempt(ctx, invoice)
    today = clock.today()
    steps = ladder(ctx)
    upcoming = next_reminder(invoice, steps, today, invoice_in_active_plan(invoice))
    if upcoming.level is not None and level != upcoming.level:
        raise ValidationFailed(
            {
                "level": _(
                    "Niveau %(level)s attendu : la relance suit l'échelle "
                    "sans sauter d'étape (niveau actuel %(current)s).",
                    level=upcoming.level,
                    current=invoice.dunning_level,
                )
            }
        )
    if not upcoming.allowed:
        raise Conflict(
            upcoming.message,
            code=upcoming.reason,
            details={"earliest": upcoming.earliest.isoformat()} if upcoming.earliest else None,
        )
    step = upcoming.step
    body = subject = ""
    if step.get("template"):
        template = db.session.scalar(
            sa.select(MessageTemplate).where(
                MessageTemplate.attempt_id == ctx.attempt.id,
                MessageTemplate.key == step["template"],
            )
        )
        if template is None:
            raise Conflict(
                _(
                    "Modèle de relance « %(key)s » introuvable dans le scénario.",
                    key=step["template"],
                ),
                code="template_missing",
            )
        values = _message_values(ctx, invoice)
        body = render_text(template.body, values, language=template.language)
        subject = render_text(template.subject or "", values, language=template.language)
    reminder = Reminder(
        attempt_id=ctx.attempt.id,
        invoice_id=invoice.id,
        level=level,
        channel=step["channel"],
        body=body,
    )
    old_level = invoice.dunning_level
    invoice.dunning_level = level
    db.session.add(reminder)
    db.session.flush()
    record(
        ctx,
        "reminder.sent",
        reminder,
        {
            "invoice_id": invoice.id,
            "invoice": invoice.number,
            "client_id": invoice.client_id,
            "level": level,
            "label": step.get("label"),
            "channel": step["channel"],
            "recipient": recipient(invoice.client, step["channel"]),
            "template": step.get("template"),
            "amount_due": invoice.amount_due,
            "days_overdue": (today - invoice.due_on).days,
            "dunning_level": {"old": old_level, "new": level},
            "subject": subject,
            "body": body,
        },
    )
    return reminder
