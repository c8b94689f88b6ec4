"""Messages going out: composing (template or free text) and replying to a conversation.

Replies and the order confirmation (`confirmation.py`) compose the same way: a template
(rendered with `crm.knowledge.rendering`, which refuses unknown variables) or free text, the
channel's checks, then `message.sent` with what an evaluator needs: channel, template key,
length, SMS segments, attachments, and whether the answer deadline was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.contacts.models import Contact
from crm.db import db
from crm.documents.models import GeneratedDocument
from crm.documents.services import DocumentRequest, generated_attachment
from crm.errors import NotFound, ValidationFailed
from crm.knowledge.models import Document, MessageTemplate
from crm.knowledge.rendering import TemplateError, render_text
from crm.orders.models import Order
from crm.payments.models import Invoice
from softphone.inbox.channels import Channel, OutgoingCheck, channel_for
from softphone.inbox.documents import check_attachments, generate_attachments
from softphone.inbox.models import Conversation, Message
from softphone.inbox.services import take_conversation
from softphone.inbox.sms import SmsMeasure, measure_sms
from softphone.inbox.states import conversation_next_status
from softphone.inbox.variables import message_values, writer_name


@dataclass
class Composed:
    """A message ready to go: rendered text, what it came from, and the channel's verdict."""

    subject: str
    body: str
    template: MessageTemplate | None
    documents: list[Document]
    check: OutgoingCheck
    #: The client's own documents generated for this message (invoice, order, plan PDFs).
    generated: list[GeneratedDocument] = field(default_factory=list)


@dataclass
class Sent:
    """A message sent in a conversation."""

    conversation: Conversation
    message: Message
    within_deadline: bool | None


def _world_rows(ctx: Ctx, model, ids: list[int]) -> tuple[list, list[int]]:
    """Rows of the attempt with these ids (in the given order), and the ids not found."""
    if not ids:
        return [], []  # nothing asked: no statement (most answers attach nothing)
    rows = {
        row.id: row
        for row in db.session.scalars(
            sa.select(model).where(model.attempt_id == ctx.attempt.id, model.id.in_(ids))
        )
    }
    return [rows[i] for i in ids if i in rows], [i for i in ids if i not in rows]


def _render(text: str, values: dict, language: str, field: str) -> str:
    """Render a template text; an unknown or unavailable variable is a 422 on `field`."""
    try:
        return render_text(text, values, language=language)
    except TemplateError as error:
        refusal = ValidationFailed({field: error.message}, "Modèle impossible à compléter.")
        refusal.details = dict(error.details)
        raise refusal from None


@dataclass
class Preview:
    """A template filled in for one conversation, as the candidate will edit it."""

    template: MessageTemplate
    subject: str
    body: str
    sms: SmsMeasure | None


def _template(ctx: Ctx, chan: Channel, template_id: int, errors: dict) -> MessageTemplate | None:
    """The attempt's template of that id, fit for the channel; else an error on template_id."""
    template = db.session.scalar(
        sa.select(MessageTemplate).where(
            MessageTemplate.attempt_id == ctx.attempt.id, MessageTemplate.id == template_id
        )
    )
    if template is None:
        errors["template_id"] = "Modèle introuvable."
    elif template.channel not in chan.template_channels:
        errors["template_id"] = (
            f"Ce modèle est prévu pour le canal {template.channel}, pas pour {chan.label}."
        )
    return template


def preview_template(ctx: Ctx, conversation: Conversation, template_id: int) -> Preview:
    """Fill a template in for this conversation (nothing recorded); 404 if the attempt has no
    such template (the path names it), 422 if it cannot be filled in here."""
    chan = channel_for(conversation.channel)
    errors: dict[str, str] = {}
    template = _template(ctx, chan, template_id, errors)
    if template is None:
        raise NotFound("Modèle introuvable.")
    if errors:
        raise ValidationFailed(errors)
    values = message_values(
        ctx,
        conversation.client,
        language=conversation.language,
        recipient=writer_name(conversation),
    )
    body = chan.prepare(_render(template.body, values, conversation.language, "template_id"))
    subject = ""
    if chan.needs_subject:
        subject = (
            _render(template.subject, values, conversation.language, "template_id")
            if template.subject
            else _reply_subject(conversation)
        )
    sms = measure_sms(body) if conversation.channel == "sms" else None
    return Preview(template, subject, body, sms)


def compose(
    ctx: Ctx,
    chan: Channel,
    *,
    client,
    language: str,
    body: str | None,
    subject: str | None,
    default_subject: str,
    template_id: int | None,
    attachment_ids: list[int] | None,
    order: Order | None = None,
    invoice: Invoice | None = None,
    recipient: str | None = None,
) -> Composed:
    """Load the template and documents, render, and run the channel's checks (422 if any)."""
    errors: dict[str, str] = {}
    template = None
    if template_id is not None:
        template = _template(ctx, chan, template_id, errors)
    documents, missing = _world_rows(ctx, Document, list(attachment_ids or []))
    if missing:
        errors["attachment_ids"] = "Documents introuvables : " + ", ".join(map(str, missing)) + "."
    if errors:
        raise ValidationFailed(errors)
    typed = body if isinstance(body, str) and body.strip() else None
    if typed is None and template is None:
        raise ValidationFailed({"body": "Saisissez un message ou choisissez un modèle."})
    values = message_values(
        ctx, client, order=order, invoice=invoice, language=language, recipient=recipient
    )
    # Text the candidate typed (an edited template included) is rendered too: a placeholder
    # left in it is then either filled in or refused, never sent as "{{ … }}".
    body_field = "body" if typed is not None else "template_id"
    text = chan.prepare(
        _render(typed if typed is not None else template.body, values, language, body_field)
    )
    if subject and subject.strip():
        title = _render(subject.strip(), values, language, "subject")
    elif template is not None and template.subject and chan.needs_subject:
        title = _render(template.subject, values, language, "template_id")
    else:
        title = default_subject if chan.needs_subject else ""
    check = chan.check_outgoing(title, text, documents)
    if not check.ok:
        raise ValidationFailed(check.errors)
    return Composed(title, text, template, documents, check)


def sent_payload(conversation: Conversation, composed: Composed, contact: Contact) -> dict:
    """What `message.sent` says about a message, whatever sent it."""
    template = composed.template
    sms = composed.check.sms
    return {
        "conversation_id": conversation.id,
        "contact_id": contact.id,
        "channel": conversation.channel,
        "client_id": conversation.client_id,
        "party": conversation.party,
        "template": template.key if template else None,
        "template_language": template.language if template else None,
        "language": conversation.language,
        "subject": composed.subject,
        "length": composed.check.length,
        "encoding": sms.encoding if sms else None,
        "segments": sms.segments if sms else None,
        # Generated documents name their SHA-256: the evaluator can check what was sent.
        "attachments": [{"document_id": d.id, "filename": d.filename} for d in composed.documents]
        + [generated_attachment(g) for g in composed.generated],
        "body": composed.body,
    }


def build_message(
    ctx: Ctx, conversation: Conversation, composed: Composed, now: datetime
) -> Message:
    """The outgoing Message row for a composed message (added to the session)."""
    sms = composed.check.sms
    message = Message(
        attempt_id=ctx.attempt.id,
        conversation=conversation,
        direction="out",
        author="agent",
        author_id=ctx.actor_id,
        subject=composed.subject,
        body=composed.body,
        template_id=composed.template.id if composed.template else None,
        attachments=[
            {"document_id": d.id, "title": d.title, "filename": d.filename}
            for d in composed.documents
        ]
        + [generated_attachment(g) for g in composed.generated],
        sent_at=now,
        encoding=sms.encoding if sms else None,
        segments=sms.segments if sms else None,
    )
    db.session.add(message)
    return message


def _reply_subject(conversation: Conversation) -> str:
    """An email reply's subject: « Re : » and the customer's subject (or « votre message »)."""
    french = conversation.language == "fr"
    subject = conversation.subject or ("votre message" if french else "your message")
    if subject.lower().startswith(("re:", "re :")):
        return subject
    return ("Re : " if french else "Re: ") + subject


def reply(
    ctx: Ctx,
    conversation: Conversation,
    body: str | None = None,
    template_id: int | None = None,
    attachment_ids: list[int] | None = None,
    *,
    subject: str | None = None,
    order: Order | None = None,
    invoice: Invoice | None = None,
    documents: list[DocumentRequest] | None = None,
    now: datetime | None = None,
) -> Sent:
    """Answer the customer from a template or free text; the first answer stops the clock.

    `documents` are the client's own documents to generate and attach (PDF).
    """
    chan = channel_for(conversation.channel)
    new_status = conversation_next_status(conversation.status, "agent_replied")
    composed = compose(
        ctx,
        chan,
        client=conversation.client,
        language=conversation.language,
        body=body,
        subject=subject,
        default_subject=_reply_subject(conversation),
        template_id=template_id,
        attachment_ids=attachment_ids,
        order=order,
        invoice=invoice,
        recipient=writer_name(conversation),
    )
    documents = list(documents or [])
    check_attachments(ctx, chan, conversation, documents, len(composed.documents))
    # No consent check: a reply answers the customer (transactional, see Channel.consent).
    taken = take_conversation(ctx, conversation)
    composed.generated = generate_attachments(
        replace(ctx, interaction=("contact", taken.contact.id)), conversation, documents
    )
    now = now or clock.now()
    deadline, waiting_since = conversation.deadline_at, conversation.awaiting_since
    within = None if deadline is None else now <= deadline
    first = conversation.first_answered_at is None
    message = build_message(ctx, conversation, composed, now)
    conversation.status = new_status
    conversation.first_answered_at = conversation.first_answered_at or now
    conversation.awaiting_since = conversation.deadline_at = None
    conversation.last_message_at = now
    db.session.flush()
    payload = sent_payload(conversation, composed, taken.contact)
    payload |= {
        "kind": "reply",
        "first_answer": first,
        "deadline_at": deadline,
        "within_deadline": within,
        "answer_delay_seconds": (
            round((now - waiting_since).total_seconds(), 3) if waiting_since else None
        ),
    }
    record(
        replace(ctx, interaction=("contact", taken.contact.id)), "message.sent", message, payload
    )
    return Sent(conversation, message, within)
