"""Seeding what is under way with a client: promises made, plans granted, callbacks promised."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

import sqlalchemy as sa

from crm.clients.models import Client
from crm.contacts.models import Callback
from crm.db import db
from crm.dunning.decisions import PARIS
from crm.dunning.models import Installment, PaymentPlan, PromiseToPay
from crm.payments.models import Invoice

#: The hour of the day an agreement whose pack gives only its date was made (Paris).
AGREED_AT = time(10, 0)


def _agreed(day) -> datetime:
    return datetime.combine(day, AGREED_AT, tzinfo=PARIS)


def seed_collections(aid: int, clients: list[tuple[Client, dict]], day, moment) -> None:
    """Each client's promises, payment plans and callbacks (invoices already flushed)."""
    invoices = {
        inv.number: inv
        for inv in db.session.scalars(sa.select(Invoice).where(Invoice.attempt_id == aid))
    }
    for client, entry in clients:
        for inv in entry.get("invoices", []):
            for promise in inv.get("promises", []):
                db.session.add(
                    PromiseToPay(
                        attempt_id=aid,
                        invoice_id=invoices[inv["number"]].id,
                        amount=Decimal(promise["amount"]),
                        due_date=day(promise["due_date"]),
                        method=promise["method"],
                        status="pending",
                        created_at=_agreed(day(promise["made_on"])),
                    )
                )
        for plan_entry in entry.get("payment_plans", []):
            items = plan_entry["installments"]
            plan = PaymentPlan(
                attempt_id=aid,
                client_id=client.id,
                status="active",
                total=sum((Decimal(i["amount"]) for i in items), Decimal("0.00")),
                created_at=_agreed(day(plan_entry["agreed_on"])),
            )
            plan.invoices = [invoices[number] for number in plan_entry["invoices"]]
            for seq, item in enumerate(items, start=1):
                plan.installments.append(
                    Installment(
                        attempt_id=aid,
                        seq=seq,
                        due_date=day(item["due_date"]),
                        amount=Decimal(item["amount"]),
                        status=item.get("status", "due"),
                    )
                )
            db.session.add(plan)
        for callback in entry.get("callbacks", []):
            db.session.add(
                Callback(
                    attempt_id=aid,
                    client_id=client.id,
                    due_at=moment(callback["due_at"]),
                    reason=callback["reason"],
                    status="pending",
                    created_at=_agreed(day("-1d")),
                )
            )
