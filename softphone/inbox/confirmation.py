"""The one-click written confirmation of an order taken on the phone."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa

from crm import channels, clock
from crm.actionlog.services import Ctx, record
from crm.contacts.services import find_open_contact as current_open_contact
from crm.contacts.services import open_contact
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from crm.knowledge.models import Document, MessageTemplate
from crm.orders.models import Order
from crm.orders.pricing import order_totals
from softphone.inbox.channels import channel_for
from softphone.inbox.models import Conversation
from softphone.inbox.sending import Sent, build_message, compose, sent_payload

#: Documents the scenario's confirmation templates announce as attached, by library key.
CONFIRMATION_DOCUMENTS = ("cgv", "formulaire-retractation")
CONFIRMATION_KEY = "confirmation-commande"
_FRENCH_COUNTRIES = ("FR", "BE", "CH", "LU", "MC")


def client_language(client) -> str:
    """The language the client writes in lately, else French for French-speaking countries."""
    latest = db.session.scalar(
        sa.select(Conversation.language)
        .where(Conversation.attempt_id == client.attempt_id, Conversation.client_id == client.id)
        .order_by(Conversation.id.desc())
        .limit(1)
    )
    return latest or ("fr" if (client.country or "FR") in _FRENCH_COUNTRIES else "en")


def confirmation_template(ctx: Ctx, channel: str, language: str) -> MessageTemplate | None:
    """The scenario's order-confirmation template for a channel, in the language if it has it."""
    templates = db.session.scalars(
        sa.select(MessageTemplate)
        .where(
            MessageTemplate.attempt_id == ctx.attempt.id,
            MessageTemplate.channel == channel,
            MessageTemplate.key.contains(CONFIRMATION_KEY),
        )
        .order_by(MessageTemplate.id)
    ).all()
    return next((t for t in templates if t.language == language), None) or next(
        (t for t in templates if t.language == "fr"), None
    )


CONFIRMABLE = ("confirmed", "paid", "shipped", "delivered")
CONFIRMATION_CHANNELS = channels.confirmation_channels()
#: What the client file lacks when a channel's address kind is missing (French, in the refusal).
MISSING_ADDRESS = {"email": "aucune adresse e-mail", "mobile": "aucun numéro de mobile"}


def _address(client, channel: str) -> str | None:
    """Where the confirmation goes, by the address its channel needs: the client's email, or
    their first mobile number."""
    if channels.get(channel).address_kind == "email":
        return channel_for(channel).normalize_party(client.email)
    return next((p.e164 for p in client.phones if p.e164.startswith(("+336", "+337"))), None)


def _documents(ctx: Ctx) -> list[int]:
    """Ids of the library documents the confirmation template announces as attached."""
    keys = ctx.attempt.settings.get("order_confirmation_documents", CONFIRMATION_DOCUMENTS)
    return list(
        db.session.scalars(
            sa.select(Document.id)
            .where(Document.attempt_id == ctx.attempt.id, Document.key.in_(list(keys)))
            .order_by(Document.id)
        )
    )


def send_order_confirmation(
    ctx: Ctx,
    order: Order,
    channel: str = "email",
    *,
    language: str | None = None,
    now: datetime | None = None,
) -> Sent:
    """Send the scenario's confirmation template for a confirmed order, in the client's language.

    While the sale's contact (the call) is still open for this client, the message belongs to it
    and the thread is born resolved; otherwise it opens its own outbound contact, to qualify.
    """
    if channel not in CONFIRMATION_CHANNELS:
        expected = " ou ".join(CONFIRMATION_CHANNELS)
        raise ValidationFailed({"channel": f"Canal attendu : {expected}."})
    if language is not None and language not in ("fr", "en"):
        raise ValidationFailed({"language": "Langue attendue : fr ou en."})
    if order.attempt_id != ctx.attempt.id:
        raise ValidationFailed({"order_id": "Commande introuvable."})
    if order.status not in CONFIRMABLE:
        raise Conflict(
            "Commande non confirmée : la confirmation écrite suit la confirmation de la commande.",
            code="order_not_confirmed",
            details={"status": order.status},
        )
    client = order.client
    chan = channel_for(channel)
    party = _address(client, channel)
    if party is None:
        missing = MISSING_ADDRESS[channels.get(channel).address_kind]
        raise Conflict(
            f"Envoi par {chan.label} impossible : {missing} sur la fiche client.",
            code="unreachable",
            details={"channel": channel},
        )
    template = confirmation_template(ctx, channel, language or client_language(client))
    if template is None:
        raise Conflict(
            "Le scénario n'a pas de modèle de confirmation de commande pour ce canal.",
            code="template_missing",
            details={"channel": channel},
        )
    composed = compose(
        ctx,
        chan,
        client=client,
        language=template.language,
        body=None,
        subject=None,
        default_subject="",
        template_id=template.id,
        attachment_ids=_documents(ctx) if chan.allows_attachments else [],
        order=order,
    )
    contact = current_open_contact(ctx.attempt.id)
    shared = contact is not None and contact.client_id == client.id
    if not shared:
        # crm's rules apply: 409 while another client's contact is open, no SMS to a
        # do-not-call client.
        contact = open_contact(ctx, client, channel, "outbound", composed.subject, party)
    now = now or clock.now()
    conversation = Conversation(
        attempt_id=ctx.attempt.id,
        channel=channel,
        direction="outbound",
        client=client,
        contact=contact,
        subject=composed.subject,
        party=party,
        language=template.language,
        status="resolved" if shared else "open",
        received_at=now,
        last_message_at=now,
    )
    db.session.add(conversation)
    message = build_message(ctx, conversation, composed, now)
    db.session.flush()
    payload = sent_payload(conversation, composed, contact)
    payload |= {
        "kind": "order_confirmation",
        "order_id": order.id,
        "order": order.number,
        "order_total": order_totals(order.lines).gross,
        "during_contact": shared,
    }
    record(replace(ctx, interaction=("contact", contact.id)), "message.sent", message, payload)
    return Sent(conversation, message, None)
