"""Clients as the JSON API shows them: a search result and the whole file."""

from __future__ import annotations

from crm import channels
from crm.clients.models import Client
from crm.clients.services import ClientFile


def _iso(value):
    return value.isoformat() if value else None


def client_summary(client: Client) -> dict:
    """What a search result shows."""
    return {
        "id": client.id,
        "number": client.number,
        "kind": client.kind,
        "segment": client.segment,
        "name": client.display_name,
        "city": client.city,
        "phones": [p.number for p in client.phones],
    }


def client_file_dict(file: ClientFile) -> dict:
    """The client file, with exactly the fields of the contract."""
    c = file.client
    address = {"street": c.street, "postcode": c.postcode, "city": c.city, "country": c.country}
    return {
        "id": c.id,
        "number": c.number,
        "kind": c.kind,
        "name": c.display_name,
        "segment": c.segment,
        "contact_persons": [
            {
                "id": p.id,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "role": p.role,
                "phone": p.phone,
                "email": p.email,
                "gatekeeper": p.gatekeeper,
            }
            for p in c.contact_persons
        ],
        "addresses": [address] if (c.street or c.postcode or c.city) else [],
        "phones": [p.number for p in c.phones],
        "emails": [c.email] if c.email else [],
        "credit_limit": f"{c.credit_limit:.2f}",
        "outstanding": f"{file.outstanding:.2f}",
        "consent": {n: getattr(c, channels.get(n).consent_field) for n in channels.with_consent()},
        "do_not_call": c.do_not_call,
        "orders": [
            {
                "id": row.order.id,
                "number": row.order.number,
                "status": row.order.status,
                "ordered_on": _iso(row.order.ordered_on),
                "total": f"{row.total:.2f}",
            }
            for row in file.orders
        ],
        "invoices": [
            {
                "id": row.invoice.id,
                "number": row.invoice.number,
                "issued_on": _iso(row.invoice.issued_on),
                "due_on": _iso(row.invoice.due_on),
                "amount": f"{row.invoice.amount:.2f}",
                "amount_paid": f"{row.invoice.amount_paid:.2f}",
                "amount_due": f"{row.invoice.amount_due:.2f}",
                "status": row.status,
            }
            for row in file.invoices
        ],
        "contacts": [
            {
                "id": k.id,
                "channel": k.channel,
                "direction": k.direction,
                "subject": k.subject,
                "started_at": _iso(k.started_at),
                "code": k.code,
                "note": k.note,
                "open": k.qualified_at is None,
            }
            for k in file.contacts
        ],
        "claims": [
            {
                "id": k.id,
                "number": k.number,
                "category": k.category,
                "status": k.status,
                "created_at": _iso(k.created_at),
            }
            for k in file.claims
        ],
    }
