"""Generating a client's document from the world: the PDF, its SHA-256, and its action."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.db import db
from crm.documents.models import GeneratedDocument
from crm.documents.pdf import render_sheet
from crm.documents.sheets import invoice_sheet, order_sheet, plan_sheet
from crm.dunning.models import PaymentPlan
from crm.errors import ValidationFailed
from crm.i18n import _
from crm.orders.models import Order
from crm.payments.models import Invoice

#: Orders that exist for the client (a draft or a cancelled order confirms nothing).
UNCONFIRMED = ("draft", "cancelled")


@dataclass(frozen=True)
class DocumentRequest:
    """A document asked for: its kind and the id of its invoice, order or plan."""

    kind: str
    source_id: int


def _source(ctx: Ctx, request: DocumentRequest, field: str):
    """The world row behind the request, in the attempt; else a 422 naming `field`."""
    model = {"invoice": Invoice, "order": Order, "plan": PaymentPlan}.get(request.kind)
    if model is None:
        raise ValidationFailed({f"{field}.kind": _("Document attendu : invoice, order ou plan.")})
    row = db.session.get(model, request.source_id)
    if row is None or row.attempt_id != ctx.attempt.id:
        raise ValidationFailed({f"{field}.id": _("Aucun document de ce type sous ce numéro.")})
    if request.kind == "order" and row.status in UNCONFIRMED:
        raise ValidationFailed(
            {f"{field}.id": _("Commande non confirmée : pas de confirmation à envoyer.")}
        )
    return row


def document_title(kind: str, source) -> str:
    """« Facture FA-2026-0311 », « Confirmation de commande … », « Échéancier n° 4 »."""
    if kind == "invoice":
        return str(_("Facture %(number)s", number=source.number))
    if kind == "order":
        return str(_("Confirmation de commande %(number)s", number=source.number))
    return str(_("Échéancier n° %(id)s", id=source.id))


def check_request(
    ctx: Ctx, request: DocumentRequest, *, client_id: int | None = None, field: str = "document"
):
    """The request's world row, fit to be generated (for `client_id` if given); else 422."""
    source = _source(ctx, request, field)
    if client_id is not None and source.client_id != client_id:
        raise ValidationFailed({f"{field}.id": _("Ce document concerne un autre client.")})
    return source


def generate_document(
    ctx: Ctx,
    request: DocumentRequest,
    *,
    client_id: int | None = None,
    field: str = "document",
    now: datetime | None = None,
) -> GeneratedDocument:
    """Make the PDF of a client's invoice, order confirmation or payment plan, and record it.

    With `client_id`, the document must be that client's (a message goes to one client).
    """
    source = check_request(ctx, request, client_id=client_id, field=field)
    now = now or clock.now()
    company = ctx.attempt.settings.get("company", {})
    if request.kind == "invoice":
        order = db.session.get(Order, source.order_id) if source.order_id else None
        sheet, name = invoice_sheet(company, source, order), f"facture-{source.number}"
    elif request.kind == "order":
        sheet, name = order_sheet(company, source), f"commande-{source.number}"
    else:
        sheet, name = plan_sheet(company, source), f"echeancier-{source.id}"
    title = document_title(request.kind, source)
    content = render_sheet(sheet, now)
    document = GeneratedDocument(
        attempt_id=ctx.attempt.id,
        kind=request.kind,
        source_id=source.id,
        client_id=source.client_id,
        title=title,
        filename=f"{name}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_at=now,
    )
    db.session.add(document)
    db.session.flush()
    record(
        ctx,
        "document.generated",
        document,
        {
            "kind": request.kind,
            "source_id": source.id,
            "client_id": source.client_id,
            "filename": document.filename,
            "sha256": document.sha256,
            "size": len(content),
        },
    )
    return document


def generated_attachment(document: GeneratedDocument) -> dict:
    """How a message lists a generated document among its attachments."""
    return {
        "generated_id": document.id,
        "kind": document.kind,
        "title": document.title,
        "filename": document.filename,
        "sha256": document.sha256,
    }
