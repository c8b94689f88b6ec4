"""Replies carrying the client's own documents generated as PDF: what is sent, what the log
records (document and SHA-256), the download for staff, and every refusal leaving nothing."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.db import db
from crm.documents.models import GeneratedDocument
from crm.dunning.services import InstallmentInput, create_payment_plan
from softphone.inbox.models import Message
from tests.factories import gen_client, gen_invoice

EMAIL = "amandine.roussel@free.example"


@pytest.fixture
def cand(api, shift):
    return api.as_("candidat1")


@pytest.fixture
def invoice(attempt, roussel, order):
    """An unpaid invoice of Mme Roussel's confirmed order."""
    row = gen_invoice(attempt, roussel, "FA-2099-0001", due_in=-5, amount="57.48")
    row.order_id = order.id
    db.session.commit()
    return row


def _count(model, attempt) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(model.attempt_id == attempt.id)
    )


def _reply(cand, conversation, documents, **extra):
    body = {"body": "Bonjour, vous trouverez le document en pièce jointe.", **extra}
    return cand.post(f"/conversations/{conversation.id}/reply", {**body, "documents": documents})


def test_the_invoice_and_the_order_confirmation_attached_to_a_reply(
    cand, inbound, invoice, order, attempt, client, api
):
    conversation = inbound()
    listed = cand.get(f"/clients/{invoice.client_id}/documents").get_json()["items"]
    assert {"kind": "invoice", "id": invoice.id, "title": "Facture FA-2099-0001"} in listed
    assert any(i["kind"] == "order" and i["id"] == order.id for i in listed)
    response = _reply(
        cand,
        conversation,
        [{"kind": "invoice", "id": invoice.id}, {"kind": "order", "id": order.id}],
    )
    assert response.status_code == 201, response.get_json()
    sent = response.get_json()
    names = [a["filename"] for a in sent["attachments"]]
    assert names == ["facture-FA-2099-0001.pdf", f"commande-{order.number}.pdf"]
    documents = db.session.scalars(
        sa.select(GeneratedDocument)
        .where(GeneratedDocument.attempt_id == attempt.id)
        .order_by(GeneratedDocument.id)
    ).all()
    assert [d.kind for d in documents] == ["invoice", "order"]
    for document in documents:
        assert document.content.startswith(b"%PDF")
        assert document.sha256 == hashlib.sha256(document.content).hexdigest()
    generated = db.session.scalars(
        sa.select(Action)
        .where(Action.attempt_id == attempt.id, Action.verb == "document.generated")
        .order_by(Action.seq)
    ).all()
    assert [a.payload["sha256"] for a in generated] == [d.sha256 for d in documents]
    assert generated[0].payload["source_id"] == invoice.id
    message_sent = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "message.sent")
    ).one()
    assert [a.get("sha256") for a in message_sent.payload["attachments"]] == [
        d.sha256 for d in documents
    ]
    # The conversation lists them with where to download them; a trainer downloads the bytes.
    url = sent["attachments"][0]["url"]
    trainer = api.as_("formateur")
    download = client.get(url, headers={"Authorization": f"Bearer {trainer.token}"})
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == documents[0].sha256
    assert download.headers["X-Content-SHA256"] == documents[0].sha256


def test_a_payment_plan_is_attached_too(cand, inbound, invoice, ctx, roussel):
    today = clock.today()
    plan = create_payment_plan(
        ctx,
        roussel,
        [invoice],
        [
            InstallmentInput(today, Decimal("27.48")),
            InstallmentInput(today + timedelta(days=30), Decimal("30.00")),
        ],
    )
    db.session.commit()
    conversation = inbound()
    response = _reply(cand, conversation, [{"kind": "plan", "id": plan.id}])
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["attachments"][0]["filename"] == f"echeancier-{plan.id}.pdf"


@pytest.mark.parametrize(
    ("documents", "field"),
    [
        ([{"kind": "devis", "id": 1}], "documents[0].kind"),
        ([{"kind": "invoice", "id": 999999}], "documents[0].id"),
        ([{"kind": "invoice"}], "documents[0].id"),
        (["facture"], "documents[0]"),
        ("facture", "documents"),
    ],
)
def test_bad_documents_are_refused_naming_the_field(
    cand, inbound, invoice, attempt, documents, field
):
    conversation = inbound()
    before = _count(Action, attempt)
    response = _reply(cand, conversation, documents)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert _count(GeneratedDocument, attempt) == 0 and _count(Action, attempt) == before


def test_another_clients_document_and_an_unconfirmed_order_are_refused(
    cand, inbound, attempt, invoice, order_for, roussel
):
    stranger = gen_client(attempt, "T-AUTRE", "Autre", phones=["06 99 88 77 66"])
    foreign = gen_invoice(attempt, stranger, "FA-2099-0002", due_in=-5, amount="10.00")
    draft = order_for(attempt, roussel, status="draft")
    db.session.commit()
    conversation = inbound()
    before = _count(Action, attempt)
    for documents, field, words in (
        ([{"kind": "invoice", "id": foreign.id}], "documents[0].id", "autre client"),
        ([{"kind": "order", "id": draft.id}], "documents[0].id", "non confirmée"),
        # Nothing is generated when the second of two is refused.
        (
            [{"kind": "invoice", "id": invoice.id}, {"kind": "invoice", "id": foreign.id}],
            "documents[1].id",
            "autre client",
        ),
    ):
        response = _reply(cand, conversation, documents)
        assert response.status_code == 422
        assert words in response.get_json()["error"]["fields"][field]
    assert _count(GeneratedDocument, attempt) == 0 and _count(Action, attempt) == before
    assert _count(Message, attempt) == 1


def test_documents_go_by_email_only(cand, inbound, invoice, attempt):
    conversation = inbound("sms", "06 39 98 40 22", "Ma facture ?")
    response = _reply(cand, conversation, [{"kind": "invoice", "id": invoice.id}])
    assert response.status_code == 422
    assert "documents" in response.get_json()["error"]["fields"]
    assert _count(GeneratedDocument, attempt) == 0


def test_download_is_refused_to_another_candidate(cand, inbound, invoice, api, client):
    conversation = inbound()
    sent = _reply(cand, conversation, [{"kind": "invoice", "id": invoice.id}]).get_json()
    url = sent["attachments"][0]["url"]
    other = api.as_("candidat2")
    answer = client.get(url, headers={"Authorization": f"Bearer {other.token}"})
    assert answer.status_code == 404
    own = client.get(url, headers={"Authorization": f"Bearer {cand.token}"})
    assert own.status_code == 200
