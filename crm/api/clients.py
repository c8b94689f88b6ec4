"""API: client search, the client file, prospect creation, edits and identity verification."""

from __future__ import annotations

from flask import request

from crm.api.core import bp, candidate_ctx, commit_and, in_attempt, json_body, page_args, roles
from crm.api.docs import doc, nonblank, one_of, text
from crm.clients.cleaning import EDITABLE_FLAGS, EDITABLE_TEXT, MAX_PHONES, SEGMENTS, TITLES
from crm.clients.identity import verify_identity
from crm.clients.models import Client
from crm.clients.services import (
    ClientFile,
    create_prospect,
    load_client_file,
    search_clients,
    update_client,
    view_client,
)

#: An e-mail address as `clients.cleaning` accepts it, or blanks (no address).
_EMAIL = r"^\s*$|^\s*[^@\s]+@[^@\s]+\.[A-Za-z]{2,}\s*$"

#: A flag of the file: true or false, never null (`clients.cleaning`).
_FLAG = {"type": "boolean", "nullable": False}

#: The fields of a client file a candidate may set, as `clients.cleaning` checks them.
_CLIENT_FIELDS = {
    "title?": one_of(*sorted(set(TITLES.values()))),
    **{f"{name}?": text(limit) for name, limit in EDITABLE_TEXT.items()},
    "last_name?": nonblank(EDITABLE_TEXT["last_name"]),
    "email?": {"type": "string", "maxLength": 160, "pattern": _EMAIL},
    "phones?": {"type": "array", "maxItems": MAX_PHONES, "items": {"type": "string"}},
    "postcode?": {"type": "string", "pattern": r"^\s*$|^\s*\d{5}\s*$"},
    **{f"{name}?": _FLAG for name in EDITABLE_FLAGS},
}


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
        "consent": {"email": c.consent_email, "sms": c.consent_sms, "phone": c.consent_phone},
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


@bp.get("/clients")
@roles("candidate")
@doc(
    query={"q?": "search", "phone?": "search", "limit?": "integer", "offset?": "integer"},
    tag="Clients",
)
def clients_search():
    """Search the attempt's clients by name, number, email, contact person or phone."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    result = search_clients(ctx, request.args.get("q", ""), request.args.get("phone", ""))
    items = [client_summary(c) for c in result.clients[offset : offset + limit]]
    return commit_and({"items": items, "total": len(result.clients)})


@bp.get("/clients/<int:client_id>")
@roles("candidate")
@doc(tag="Clients")
def client_show(client_id):
    """Open a client file (recorded)."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx, label="Client")
    return commit_and(client_file_dict(view_client(ctx, client)))


@bp.post("/clients")
@roles("candidate")
@doc(
    body={
        **_CLIENT_FIELDS,
        "segment": one_of(*SEGMENTS),
        "last_name": text(EDITABLE_TEXT["last_name"]),
    },
    tag="Clients",
    status=201,
)
def client_create():
    """Create a prospect file."""
    ctx = candidate_ctx()
    client = create_prospect(ctx, json_body())
    return commit_and(client_file_dict(load_client_file(client)), 201)


@bp.patch("/clients/<int:client_id>")
@roles("candidate")
@doc(body=_CLIENT_FIELDS, tag="Clients")
def client_update(client_id):
    """Change fields of a client file; each change is recorded old → new."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx, label="Client")
    changes = update_client(ctx, client, json_body())
    body = client_file_dict(load_client_file(client))
    body["changed"] = sorted(changes)
    return commit_and(body)


@bp.post("/clients/<int:client_id>/verify-identity")
@roles("candidate")
@doc(
    body={
        "client_number?": "string",
        "last_name?": "string",
        "first_name?": "string",
        "company_name?": "string",
        "postcode?": "string",
        "birth_date?": "string",
        "email?": "string",
        "phone?": "string",
    },
    tag="Clients",
)
def client_verify_identity(client_id):
    """Check what the caller gave (two elements at least) against the file."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx, label="Client")
    check = verify_identity(ctx, client, json_body())
    return commit_and(
        {"verified": check.verified, "mismatches": check.mismatches, "checked": check.checked}
    )
