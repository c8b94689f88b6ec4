"""Client files: search, open, create a prospect, edit; each records its action."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.claims.models import Claim
from crm.clients.cleaning import (
    CREATABLE,
    EDITABLE,
    PhoneEntry,
    clean_client_values,
)
from crm.clients.models import Client, ClientPhone
from crm.clients.search import query_condition
from crm.contacts.models import Appointment, Callback, Contact
from crm.contracts.models import Contract
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from crm.payments.models import Invoice
from crm.payments.receivables import outstanding_of
from crm.phones import has_number, normalize_phone

RECENT_ORDERS = 10
RECENT_CONTACTS = 20
#: Share of the credit limit from which the file warns that the limit is near.
CREDIT_WARNING_RATIO = Decimal("0.80")


@dataclass
class SearchResult:
    """Clients matching a search, best first."""

    query: str
    phone: str
    clients: list[Client]


@dataclass
class OrderRow:
    """An order of the file with its total including VAT."""

    order: Order
    total: Decimal


@dataclass
class InvoiceRow:
    """An invoice of the file with its status (paid, partial, unpaid, overdue)."""

    invoice: Invoice
    status: str


@dataclass
class ClientFile:
    """Everything the client file shows, gathered once for the page and the API."""

    client: Client
    outstanding: Decimal
    credit_state: str  #: cash_only, ok, near, over
    orders: list[OrderRow] = field(default_factory=list)
    invoices: list[InvoiceRow] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    #: Subscriptions (packs with contracts only), oldest first.
    contracts: list[Contract] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    #: Promises to pay and payment plans, with their state (kept, broken, paid, missed…).
    promises: list[PromiseToPay] = field(default_factory=list)
    plans: list[PaymentPlan] = field(default_factory=list)


def search_clients(ctx: Ctx, query: str = "", phone: str = "") -> SearchResult:
    """Clients of the attempt matching a name, number, email, contact person or phone."""
    query, phone = (query or "").strip()[:200], (phone or "").strip()[:40]
    wanted_phone = None
    if phone:
        wanted_phone = normalize_phone(phone)
        if wanted_phone is None:
            raise ValidationFailed(
                {"phone": _("Numéro français attendu, par exemple 04 78 12 34 56.")}
            )
    conditions = [Client.attempt_id == ctx.attempt.id]
    if query:
        conditions.append(query_condition(query))
    if wanted_phone:
        conditions.append(has_number(wanted_phone))
    found = db.session.scalars(
        sa.select(Client)
        .where(*conditions)
        .options(selectinload(Client.phones), selectinload(Client.contact_persons))
        .order_by(Client.last_name, Client.first_name, Client.id)
    ).all()
    if query or phone:
        record(
            ctx,
            "client.searched",
            payload={
                "query": query,
                "phone": phone,
                "results": len(found),
                "client_ids": [c.id for c in found[:20]],
            },
        )
    return SearchResult(query, phone, found)


def credit_state(limit: Decimal, outstanding: Decimal) -> str:
    """cash_only (no credit), over, near (≥ 80 % of the limit) or ok."""
    if limit <= 0:
        return "cash_only"
    if outstanding > limit:
        return "over"
    if outstanding >= limit * CREDIT_WARNING_RATIO:
        return "near"
    return "ok"


def invoice_status(invoice: Invoice, today: date) -> str:
    """paid, overdue (past due and not fully paid), partial or unpaid."""
    if invoice.amount_paid >= invoice.amount:
        return "paid"
    if invoice.due_on < today:
        return "overdue"
    return "partial" if invoice.amount_paid > 0 else "unpaid"


def _history(model, *order_by, limit=None, options=()):
    """The client's rows of a model in the attempt (bind parameters `aid`, `cid`), in order."""
    return (
        sa.select(model)
        .where(model.attempt_id == sa.bindparam("aid"), model.client_id == sa.bindparam("cid"))
        .order_by(*order_by)
        .limit(limit)
        .options(*options)
    )


#: Every opening of a client file reads them: built once (crm/db.py: hot statements).
_FILE = {
    # Every order, with its lines in one statement: the latest are shown with their totals,
    # the owing ones count in the outstanding amount (as client_outstanding).
    "orders": _history(
        Order, Order.created_at.desc(), Order.id.desc(), options=[selectinload(Order.lines)]
    ),
    "invoices": _history(Invoice, Invoice.issued_on.desc(), Invoice.id.desc()),
    "contacts": _history(
        Contact, Contact.started_at.desc(), Contact.id.desc(), limit=RECENT_CONTACTS
    ),
    "claims": _history(Claim, Claim.created_at.desc(), Claim.id.desc()),
    "contracts": _history(Contract, Contract.started_on, Contract.id),
    "callbacks": _history(Callback, Callback.due_at.desc()),
    "appointments": _history(Appointment, Appointment.starts_at.desc()),
    "promises": sa.select(PromiseToPay)
    .join(Invoice, Invoice.id == PromiseToPay.invoice_id)
    .where(PromiseToPay.attempt_id == sa.bindparam("aid"), Invoice.client_id == sa.bindparam("cid"))
    .order_by(PromiseToPay.due_date.desc(), PromiseToPay.id.desc()),
    "plans": _history(
        PaymentPlan, PaymentPlan.id.desc(), options=[selectinload(PaymentPlan.installments)]
    ),
}


def load_client_file(client: Client) -> ClientFile:
    """Gather the file's history (read-only; opening it is recorded by `view_client`)."""
    params = {"aid": client.attempt_id, "cid": client.id}

    def rows(name: str) -> list:
        return db.session.scalars(_FILE[name], params).all()

    orders, invoices = rows("orders"), rows("invoices")
    outstanding = outstanding_of(invoices, orders)
    today = clock.today()
    return ClientFile(
        client=client,
        outstanding=outstanding,
        credit_state=credit_state(client.credit_limit, outstanding),
        orders=[OrderRow(o, order_totals(o.lines).gross) for o in orders[:RECENT_ORDERS]],
        invoices=[InvoiceRow(i, invoice_status(i, today)) for i in invoices],
        contacts=rows("contacts"),
        claims=rows("claims"),
        contracts=rows("contracts"),
        callbacks=rows("callbacks"),
        appointments=rows("appointments"),
        promises=rows("promises"),
        plans=rows("plans"),
    )


def view_client(ctx: Ctx, client: Client) -> ClientFile:
    """Open a client file: gather it and record `client.viewed`."""
    client_file = load_client_file(client)
    record(ctx, "client.viewed", client, {"number": client.number, "kind": client.kind})
    return client_file


def _next_prospect_number(attempt_id: int) -> str:
    """`P` followed by the next number of the attempt's client numbering (5 digits at least)."""
    numbers = db.session.scalars(sa.select(Client.number).where(Client.attempt_id == attempt_id))
    highest = max(
        (int(m.group(1)) for n in numbers if (m := re.fullmatch(r"[A-Za-z]*(\d+)", n or ""))),
        default=0,
    )
    return f"P{highest + 1:05d}"


def _set_phones(client: Client, entries: list[PhoneEntry]) -> None:
    """Replace the client's phones by these numbers."""
    client.phones.clear()
    for entry in entries:
        client.phones.append(
            ClientPhone(attempt_id=client.attempt_id, number=entry.number, e164=entry.e164)
        )


def create_prospect(ctx: Ctx, data: dict) -> Client:
    """Create a prospect file from typed values (segment, names, contact details, consents)."""
    values = clean_client_values(data, CREATABLE)
    errors = {}
    if not values.get("segment"):
        errors["segment"] = _("Champ obligatoire : b2b (entreprise) ou b2c (particulier).")
    if not values.get("last_name"):
        errors["last_name"] = _("Le nom est obligatoire.")
    if values.get("segment") == "b2b" and not values.get("company_name"):
        errors["company_name"] = _("La raison sociale est obligatoire pour une entreprise.")
    if errors:
        raise ValidationFailed(errors)
    phones = values.pop("phones", [])
    client = Client(
        attempt_id=ctx.attempt.id,
        number=_next_prospect_number(ctx.attempt.id),
        kind="prospect",
        **values,
    )
    db.session.add(client)
    _set_phones(client, phones)
    db.session.flush()
    payload = {"number": client.number, "segment": client.segment}
    payload.update({k: v for k, v in values.items() if k != "segment"})
    payload["phones"] = [p.number for p in phones]
    record(ctx, "client.created", client, payload)
    return client


def update_client(ctx: Ctx, client: Client, data: dict) -> dict:
    """Apply edits; record only the changed fields (old → new) in one `client.updated`."""
    values = clean_client_values(data, EDITABLE)
    changes: dict[str, dict] = {}
    for name, new in values.items():
        if name == "phones":
            old_numbers = [p.number for p in client.phones]
            if [p.e164 for p in client.phones] != [e.e164 for e in new]:
                changes["phones"] = {"old": old_numbers, "new": [e.number for e in new]}
            continue
        old = getattr(client, name)
        if (old or None) != (new or None):
            changes[name] = {"old": old, "new": new}
    company = values.get("company_name", client.company_name)
    if client.segment == "b2b" and not company:
        raise ValidationFailed(
            {"company_name": _("La raison sociale est obligatoire pour une entreprise.")}
        )
    if not changes:
        return {}
    for name in changes:
        if name == "phones":
            _set_phones(client, values["phones"])
        else:
            setattr(client, name, values[name] if values[name] is not None else _blank(name))
    db.session.flush()
    record(ctx, "client.updated", client, {"number": client.number, "changes": changes})
    return changes


def _blank(name: str):
    """The stored form of an emptied field: '' for non-null text columns, None otherwise."""
    return "" if name in ("first_name", "notes") else None


def edit_data(client: Client) -> dict:
    """The editable fields as they are now (what the edit form starts from)."""
    data = {name: getattr(client, name) for name in EDITABLE if name != "phones"}
    data["title"] = client.title or ""
    data["phones"] = "\n".join(p.number for p in client.phones)
    return data
