"""API: client search, the client file, prospect creation, edits and identity verification."""

from __future__ import annotations

from flask import request
from sqlalchemy.orm import joinedload

from crm.clients.cleaning import EDITABLE_FLAGS, EDITABLE_TEXT, MAX_PHONES, SEGMENTS, TITLES
from crm.clients.identity import verify_identity
from crm.clients.models import Client
from crm.clients.serialize import client_file_dict, client_summary
from crm.clients.services import (
    create_prospect,
    load_client_file,
    search_clients,
    update_client,
    view_client,
)
from crm.web.api import (
    candidate_ctx,
    commit_and,
    in_attempt,
    json_body,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, nonblank, one_of, text

bp = make_api_blueprint("clients_api", __name__, operation_prefix="")


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


_WITH_PEOPLE = (joinedload(Client.phones), joinedload(Client.contact_persons))


@bp.get("/clients/<int:client_id>")
@roles("candidate")
@doc(tag="Clients")
def client_show(client_id):
    """Open a client file (recorded)."""
    ctx = candidate_ctx()
    # The file shows its phones and contact persons: read with the client, in one statement.
    client = in_attempt(Client, client_id, ctx, label="Client", options=_WITH_PEOPLE)
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
