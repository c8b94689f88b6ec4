"""API: contacts and their qualification, callbacks, sales reps' calendars and appointments."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from crm import channels, clock
from crm.clients.models import Client
from crm.contacts.booking import book_appointment, find_rep, rep_calendars, schedule_callback
from crm.contacts.callbacks import CALLBACK_STATUSES
from crm.contacts.models import Callback, Contact, QualificationCode
from crm.contacts.serialize import appointment_dict, calendar_dict, callback_dict, contact_dict
from crm.contacts.services import DIRECTIONS, open_contact, qualify_contact
from crm.db import db
from crm.errors import ValidationFailed
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    in_attempt,
    json_body,
    listing,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, one_of, text

bp = make_api_blueprint("contacts_api", __name__, operation_prefix="")


@bp.post("/contacts")
@roles("candidate")
@doc(
    body={
        "client_id?": "id",
        "channel": one_of(*channels.names()),
        "direction": one_of(*DIRECTIONS),
        "subject?": text(200),
        "party?": text(160),
    },
    tag="Contacts",
    status=201,
)
def contact_open():
    """Open a contact (409 contact_open while another one is not qualified)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    client_id = fields.ident("client_id", required=False)
    channel = fields.text("channel", choices=set(channels.names()))
    direction = fields.text("direction", choices=set(DIRECTIONS))
    subject = fields.text("subject", required=False, default="", max_length=200)
    party = fields.text("party", required=False, max_length=160)
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client") if client_id else None
    contact = open_contact(ctx, client, channel, direction, subject, party)
    return commit_and(contact_dict(contact), 201)


@bp.get("/contacts")
@roles("candidate")
@doc(
    query={
        "client_id?": "id",
        "open?": one_of("true", "false", "1", "0"),
        "limit?": "integer",
        "offset?": "integer",
    },
    tag="Contacts",
)
def contacts_list():
    """The attempt's contacts, newest first (of one client, open or not, if asked)."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    state = fields.text("open", required=False, choices={"true", "false", "1", "0"})
    fields.done()
    query = sa.select(Contact).where(Contact.attempt_id == ctx.attempt.id)
    if client_id:
        query = query.where(Contact.client_id == client_id)
    if state in ("true", "1"):
        query = query.where(Contact.qualified_at.is_(None))
    elif state in ("false", "0"):
        query = query.where(Contact.qualified_at.is_not(None))
    query = query.order_by(Contact.started_at.desc(), Contact.id.desc())
    return listing(query, contact_dict, limit, offset)


@bp.get("/contacts/<int:contact_id>")
@roles("candidate")
@doc(tag="Contacts")
def contact_show(contact_id):
    """One contact."""
    ctx = candidate_ctx()
    return jsonify(contact_dict(in_attempt(Contact, contact_id, ctx, label="Contact")))


@bp.get("/qualification-codes")
@roles("candidate")
@doc(tag="Contacts")
def qualification_codes():
    """The attempt's qualification codes with their family and effects."""
    ctx = candidate_ctx()
    rows = db.session.scalars(
        sa.select(QualificationCode)
        .where(QualificationCode.attempt_id == ctx.attempt.id)
        .order_by(QualificationCode.family, QualificationCode.code)
    ).all()
    items = [
        {
            "code": q.code,
            "label": q.label,
            "family": q.family,
            "description": q.description,
            "effects": list(q.effects or []),
        }
        for q in rows
    ]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/contacts/<int:contact_id>/qualify")
@roles("candidate")
@doc(body={"code": text(24), "note": text(4000)}, tag="Contacts")
def contact_qualify(contact_id):
    """Close a contact with a code and a note (409 already_qualified)."""
    ctx = candidate_ctx()
    contact = in_attempt(Contact, contact_id, ctx, label="Contact")
    fields = Fields(json_body())
    code = fields.text("code", max_length=24)
    note = fields.text("note", max_length=4000)
    fields.done()
    result = qualify_contact(ctx, contact, code, note)
    body = contact_dict(result.contact)
    body["effects"] = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in result.effects.items()
    }
    return commit_and(body)


@bp.post("/callbacks")
@roles("candidate")
@doc(
    body={"client_id": "id", "due_at": "datetime", "reason": text(300)},
    tag="Agenda",
    status=201,
)
def callback_create():
    """Schedule a callback (future; legal calling windows for consumers)."""
    ctx = candidate_ctx()
    fields = Fields(json_body())
    client_id = fields.ident("client_id")
    due_at = fields.moment("due_at")
    reason = fields.text("reason", max_length=300)
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client")
    return commit_and(callback_dict(schedule_callback(ctx, client, due_at, reason)), 201)


@bp.get("/callbacks")
@roles("candidate")
@doc(
    query={
        "client_id?": "id",
        "status?": one_of(*CALLBACK_STATUSES),
        "limit?": "integer",
        "offset?": "integer",
    },
    tag="Agenda",
)
def callbacks_list():
    """The attempt's callbacks by due time (of one client, of one status if asked), each with
    its state: upcoming, due, overdue or done."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    client_id = fields.ident("client_id", required=False)
    status = fields.text("status", required=False, choices=set(CALLBACK_STATUSES))
    fields.done()
    query = sa.select(Callback).where(Callback.attempt_id == ctx.attempt.id)
    if client_id:
        query = query.where(Callback.client_id == client_id)
    if status:
        query = query.where(Callback.status == status)
    now = clock.now()
    return listing(
        query.order_by(Callback.due_at, Callback.id),
        lambda callback: callback_dict(callback, now),
        limit,
        offset,
    )


@bp.get("/sales-reps")
@roles("candidate")
@doc(tag="Agenda")
def sales_reps():
    """Sales reps with their working hours and free slots for the next 10 working days."""
    ctx = candidate_ctx()
    items = [calendar_dict(cal) for cal in rep_calendars(ctx)]
    return jsonify({"items": items, "total": len(items)})


@bp.post("/appointments")
@roles("candidate")
@doc(
    body={"client_id": "id", "with": "string", "starts_at": "datetime", "topic": text(300)},
    tag="Agenda",
    status=201,
)
def appointment_create():
    """Book an appointment with a sales rep (409 slot_taken)."""
    ctx = candidate_ctx()
    data = json_body()
    fields = Fields(data)
    client_id = fields.ident("client_id")
    starts_at = fields.moment("starts_at")
    topic = fields.text("topic", max_length=300)
    if data.get("with") in (None, ""):
        fields.errors["with"] = "Champ obligatoire."
    fields.done()
    client = in_attempt(Client, client_id, ctx, label="Client")
    rep = find_rep(ctx, data["with"])
    if rep is None:
        raise ValidationFailed({"with": "Commercial inconnu (clé ou identifiant attendu)."})
    appointment = book_appointment(ctx, client, rep, starts_at, topic)
    return commit_and(appointment_dict(appointment), 201)
