"""API: what a client's documents can be generated from, and a generated PDF's download."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, g, jsonify, url_for

from crm.api.core import candidate_ctx, in_attempt, make_api_blueprint, roles
from crm.api.docs import doc, reply
from crm.clients.models import Client
from crm.db import db
from crm.documents.models import GeneratedDocument
from crm.documents.services import UNCONFIRMED
from crm.dunning.models import PaymentPlan
from crm.errors import NotFound
from crm.orders.models import Order
from crm.payments.models import Invoice
from crm.training.services import current_attempt

bp = make_api_blueprint("documents_api", __name__)
TAG = "Inbox"


def generated_url(generated_id: int) -> str:
    """Where a generated document is downloaded."""
    return url_for("documents_api.generated_download", document_id=generated_id)


@bp.get("/clients/<int:client_id>/documents")
@roles("candidate")
@doc(tag=TAG)
def client_documents(client_id):
    """The client's documents a reply can attach (each generated as a PDF when sent)."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx, label="Client")
    aid = ctx.attempt.id
    invoices = db.session.scalars(
        sa.select(Invoice)
        .where(Invoice.attempt_id == aid, Invoice.client_id == client.id)
        .order_by(Invoice.issued_on, Invoice.id)
    )
    orders = db.session.scalars(
        sa.select(Order)
        .where(
            Order.attempt_id == aid,
            Order.client_id == client.id,
            Order.status.not_in(UNCONFIRMED),
        )
        .order_by(Order.id)
    )
    plans = db.session.scalars(
        sa.select(PaymentPlan)
        .where(PaymentPlan.attempt_id == aid, PaymentPlan.client_id == client.id)
        .order_by(PaymentPlan.id)
    )
    items = (
        [{"kind": "invoice", "id": i.id, "title": f"Facture {i.number}"} for i in invoices]
        + [
            {"kind": "order", "id": o.id, "title": f"Confirmation de commande {o.number}"}
            for o in orders
        ]
        + [{"kind": "plan", "id": p.id, "title": f"Échéancier n° {p.id}"} for p in plans]
    )
    return jsonify({"items": items, "total": len(items)})


@bp.get("/generated-documents/<int:document_id>")
@roles("candidate", "trainer", "evaluator")
@doc(tag=TAG, responses={200: reply("The PDF as it was sent", media="application/pdf")})
def generated_download(document_id):
    """A generated document, byte for byte as attached (its SHA-256 in X-Content-SHA256).

    Candidates reach their current attempt's documents; trainers and evaluators any.
    """
    document = db.session.get(GeneratedDocument, document_id)
    if document is None:
        raise NotFound("Document introuvable.")
    if g.api_user.role == "candidate":
        attempt = current_attempt(g.api_user)
        if attempt is None or attempt.id != document.attempt_id:
            raise NotFound("Document introuvable.")
    return Response(
        document.content,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "X-Content-SHA256": document.sha256,
        },
    )
