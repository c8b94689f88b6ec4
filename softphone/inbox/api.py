"""API: the inbox (API.md "Phone and inbox"), on its own blueprint from the JSON kit
(`crm.web.api`) under /api/v1."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify, request

from crm import clock
from crm.actionlog.services import Ctx
from crm.clients.models import Client
from crm.db import db
from crm.documents.models import DOCUMENT_KINDS
from crm.documents.services import DocumentRequest
from crm.errors import NotFound, ValidationFailed
from crm.orders.models import Order
from crm.payments.models import Invoice
from crm.training.models import Attempt
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    in_attempt,
    json_body,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, one_of, text, verbatim_text
from softphone.inbox.channels import CHANNELS, channel_for
from softphone.inbox.confirmation import CONFIRMATION_CHANNELS, send_order_confirmation
from softphone.inbox.models import Conversation, Message
from softphone.inbox.receiving import LANGUAGES
from softphone.inbox.schemas import (
    conversation_dict,
    message_dict,
    sms_dict,
    unread_counts,
)
from softphone.inbox.sending import preview_template, reply
from softphone.inbox.services import (
    link_client,
    open_conversation,
    qualify_conversation,
    set_status,
    take_conversation,
)
from softphone.inbox.sms import measure_sms
from softphone.inbox.states import STATUSES
from softphone.room.injection import inject_event

bp = make_api_blueprint("inbox_api", __name__)

TAG = "Inbox"


def _conversation(conversation_id: int, ctx: Ctx) -> Conversation:
    return in_attempt(Conversation, conversation_id, ctx, label="Conversation")


#: A reply's generated attachments: the client's own invoice, order confirmation or plan.
DOCUMENTS_SCHEMA = {
    "type": "array",
    "maxItems": 5,
    "items": {
        "type": "object",
        "required": ["kind", "id"],
        "properties": {
            "kind": {"type": "string", "enum": list(DOCUMENT_KINDS)},
            "id": {"type": "integer", "minimum": 1},
        },
        "additionalProperties": False,
    },
}


def _documents(fields: Fields, raw) -> list[DocumentRequest]:
    """The generated documents asked for; each bad entry named `documents[i].field`."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > 5:
        fields.errors["documents"] = "Liste attendue (5 au plus) : [{kind, id}, …]."
        return []
    requests = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or set(entry) - {"kind", "id"}:
            fields.errors[f"documents[{i}]"] = "Objet attendu : {kind, id}."
            continue
        sub = Fields(entry)
        kind = sub.text("kind", choices=set(DOCUMENT_KINDS))
        ident = sub.ident("id")
        for name, message in sub.errors.items():
            fields.errors[f"documents[{i}].{name}"] = message
        if kind is not None and ident is not None:
            requests.append(DocumentRequest(kind, ident))
    return requests


def _ids(fields: Fields, data: dict, name: str) -> list[int]:
    """An optional list of ids; an empty list means none."""
    if data.get(name) in (None, []):
        return []
    return fields.id_list(name)


@bp.get("/inbox")
@roles("candidate")
@doc(
    query={
        "channel?": one_of(*CHANNELS),
        "status?": one_of(*STATUSES),
        "limit?": "integer",
        "offset?": "integer",
    },
    tag=TAG,
)
def inbox():
    """Conversations, most urgent first, with unread counts and deadline countdowns."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    channel = fields.text("channel", required=False, choices=set(CHANNELS))
    status = fields.text("status", required=False, choices=set(STATUSES))
    fields.done()
    query = sa.select(Conversation).where(Conversation.attempt_id == ctx.attempt.id)
    if channel:
        query = query.where(Conversation.channel == channel)
    if status:
        query = query.where(Conversation.status == status)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.order_by(
            Conversation.deadline_at.is_(None),
            Conversation.deadline_at,
            Conversation.last_message_at.desc(),
            Conversation.id.desc(),
        )
        .limit(limit)
        .offset(offset)
    ).all()
    unread = unread_counts([c.id for c in rows])
    now = clock.now()
    by_channel = dict.fromkeys(CHANNELS, 0)
    by_channel.update(
        db.session.execute(
            sa.select(Conversation.channel, sa.func.count(Message.id))
            .join(Message, Message.conversation_id == Conversation.id)
            .where(
                Conversation.attempt_id == ctx.attempt.id,
                Message.direction == "in",
                Message.read_at.is_(None),
            )
            .group_by(Conversation.channel)
        ).all()
    )
    items = [conversation_dict(c, unread=unread.get(c.id, 0), now=now) for c in rows]
    return jsonify({"items": items, "total": total, "unread": by_channel})


@bp.get("/conversations/<int:conversation_id>")
@roles("candidate")
@doc(tag=TAG)
def conversation_show(conversation_id):
    """A conversation with its messages; opening it marks them read (recorded)."""
    ctx = candidate_ctx()
    opened = open_conversation(ctx, _conversation(conversation_id, ctx))
    answer = conversation_dict(opened.conversation, unread=0, messages=True)
    answer["marked_read"] = opened.marked_read
    return commit_and(answer)


@bp.post("/conversations/<int:conversation_id>/take")
@roles("candidate")
@doc(tag=TAG)
def conversation_take(conversation_id):
    """Take the conversation in hand: it becomes the open CRM contact."""
    ctx = candidate_ctx()
    taken = take_conversation(ctx, _conversation(conversation_id, ctx))
    return commit_and(conversation_dict(taken.conversation))


@bp.post("/conversations/<int:conversation_id>/reply")
@roles("candidate")
@doc(
    body={
        "body?": text(20000),
        "template_id?": "id",
        "attachment_ids?": "ids_or_none",
        "subject?": text(200),
        "order_id?": "id",
        "invoice_id?": "id",
        "documents?": DOCUMENTS_SCHEMA,
    },
    tag=TAG,
    status=201,
)
def conversation_reply(conversation_id):
    """Answer from a template (its variables filled in) or free text; `documents` attaches
    the client's invoice, order confirmation or payment plan, generated as PDF."""
    ctx = candidate_ctx()
    conversation = _conversation(conversation_id, ctx)
    data = json_body()
    fields = Fields(data)
    body = fields.text("body", required=False, max_length=20000)
    subject = fields.text("subject", required=False, max_length=200)
    template_id = fields.ident("template_id", required=False)
    order_id = fields.ident("order_id", required=False)
    invoice_id = fields.ident("invoice_id", required=False)
    attachment_ids = _ids(fields, data, "attachment_ids")
    documents = _documents(fields, data.get("documents"))
    fields.done()
    order = in_attempt(Order, order_id, ctx, label="Commande") if order_id else None
    invoice = in_attempt(Invoice, invoice_id, ctx, label="Facture") if invoice_id else None
    sent = reply(
        ctx,
        conversation,
        body,
        template_id,
        attachment_ids,
        subject=subject,
        order=order,
        invoice=invoice,
        documents=documents,
    )
    answer = message_dict(sent.message)
    answer["within_deadline"] = sent.within_deadline
    answer["conversation"] = conversation_dict(sent.conversation)
    return commit_and(answer, 201)


@bp.get("/conversations/<int:conversation_id>/templates/<int:template_id>")
@roles("candidate")
@doc(tag=TAG)
def conversation_template(conversation_id, template_id):
    """A template filled in for this conversation, to edit before sending (nothing recorded)."""
    ctx = candidate_ctx()
    conversation = _conversation(conversation_id, ctx)
    preview = preview_template(ctx, conversation, template_id)
    return jsonify(
        {
            "template_id": preview.template.id,
            "subject": preview.subject,
            "body": preview.body,
            "sms": sms_dict(preview.sms) if preview.sms else None,
        }
    )


@bp.post("/conversations/<int:conversation_id>/qualify")
@roles("candidate")
@doc(body={"code": text(24), "note": text(4000)}, tag=TAG)
def conversation_qualify(conversation_id):
    """Close a written conversation with a qualification code and a note."""
    ctx = candidate_ctx()
    conversation = _conversation(conversation_id, ctx)
    fields = Fields(json_body())
    code = fields.text("code", max_length=24)
    note = fields.text("note", max_length=4000)
    fields.done()
    done = qualify_conversation(ctx, conversation, code, note)
    answer = conversation_dict(done.conversation)
    answer["code"] = done.qualification.code.code
    answer["effects"] = done.qualification.effects
    return commit_and(answer)


@bp.post("/conversations/<int:conversation_id>/link")
@roles("candidate")
@doc(body={"client_id": "id"}, tag=TAG)
def conversation_link(conversation_id):
    """Link the conversation to a client file by hand."""
    ctx = candidate_ctx()
    conversation = _conversation(conversation_id, ctx)
    fields = Fields(json_body())
    client_id = fields.ident("client_id")
    fields.done()
    link_client(ctx, conversation, in_attempt(Client, client_id, ctx, label="Fiche client"))
    return commit_and(conversation_dict(conversation))


@bp.post("/conversations/<int:conversation_id>/status")
@roles("candidate")
@doc(body={"status": one_of(*STATUSES)}, tag=TAG)
def conversation_status(conversation_id):
    """Set the status: open, pending, or resolved (once qualified)."""
    ctx = candidate_ctx()
    conversation = _conversation(conversation_id, ctx)
    fields = Fields(json_body())
    status = fields.text("status", choices=set(STATUSES))
    fields.done()
    set_status(ctx, conversation, status)
    return commit_and(conversation_dict(conversation))


@bp.post("/orders/<int:order_id>/confirmation")
@roles("candidate")
@doc(
    body={"channel?": one_of(*CONFIRMATION_CHANNELS), "language?": one_of(*LANGUAGES)},
    tag=TAG,
    status=201,
    optional_body=True,
)
def order_confirmation(order_id):
    """Send the written confirmation of a confirmed order (email by default, or SMS)."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx, label="Commande")
    fields = Fields(json_body() if request.get_data() else {})
    channel = fields.text(
        "channel",
        required=False,
        default=CONFIRMATION_CHANNELS[0],
        choices=set(CONFIRMATION_CHANNELS),
    )
    language = fields.text("language", required=False, choices=set(LANGUAGES))
    fields.done()
    sent = send_order_confirmation(ctx, order, channel, language=language)
    answer = message_dict(sent.message)
    answer["conversation"] = conversation_dict(sent.conversation)
    return commit_and(answer, 201)


#: Longest text measured: well past what an SMS may carry (MAX_SEGMENTS), so the composer
#: can show how far over it is.
SMS_MEASURE_MAX = 2000


@bp.get("/sms/measure")
@roles("candidate")
@doc(query={"text": verbatim_text(SMS_MEASURE_MAX)}, tag=TAG)
def sms_measure():
    """Encoding, length and segment count of a text sent as SMS (nothing recorded)."""
    fields = Fields(request.args)
    # Not trimmed: spaces are characters of the SMS too.
    text = fields.text("text", max_length=SMS_MEASURE_MAX, strip=False)
    fields.done()
    return jsonify(sms_dict(measure_sms(channel_for("sms").prepare(text))))


@bp.post("/attempts/<int:attempt_id>/messages")
@roles("trainer")
@doc(
    body={
        "channel": one_of(*CHANNELS),
        "party": text(20000),
        "body": text(20000),
        "subject?": text(20000),
        "language?": one_of(*LANGUAGES),
        "attachments?": "array",
    },
    tag="Trainer",
    status=201,
)
def attempt_inbound_message(attempt_id):
    """Play the customer: an inbound email, SMS or chat message in that attempt.

    The same injection as `POST /attempts/{id}/inject` with a written `kind`: recorded as
    `trainer.injected` after the `message.received`.
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("Tentative introuvable.")
    data = json_body()
    # Only types here: the service checks every field at once, with the channel's own words.
    fields = Fields(data)
    channel = fields.text("channel", required=False, max_length=20000)
    party = fields.text("party", required=False, max_length=20000)
    body = fields.text("body", required=False, max_length=20000)
    subject = fields.text("subject", required=False, default="", max_length=20000)
    language = fields.text("language", required=False, default="fr", max_length=20000)
    fields.done()
    try:
        injected = inject_event(
            attempt,
            g.api_user,
            kind=channel,
            party=party,
            body=body,
            subject=subject,
            language=language,
            attachments=data.get("attachments"),
        )
    except ValidationFailed as error:
        # This endpoint names the channel `channel`.
        fields = dict(error.fields)
        if "kind" in fields:
            fields["channel"] = fields.pop("kind")
        raise ValidationFailed(fields) from None
    answer = {
        "conversation": conversation_dict(injected.conversation),
        "message": message_dict(injected.message),
        "new_conversation": injected.new_conversation,
    }
    return commit_and(answer, 201)
