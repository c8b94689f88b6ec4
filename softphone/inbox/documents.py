"""A reply's generated attachments: the client's own invoice, order confirmation or plan (PDF).

All are checked before any is made (nothing half-done on a refusal): the channel must carry
attachments, the count stays within the channel's limit with the library's documents, and each
document must be the conversation's client's. Then each PDF is generated and recorded
(`document.generated`, with its SHA-256) in the reply's transaction.
"""

from __future__ import annotations

from crm.actionlog.services import Ctx
from crm.documents.models import GeneratedDocument
from crm.documents.services import DocumentRequest, check_request, generate_document
from crm.errors import ValidationFailed
from softphone.inbox.channels import MAX_ATTACHMENTS, Channel
from softphone.inbox.models import Conversation

FIELD = "documents"


def check_attachments(
    ctx: Ctx,
    chan: Channel,
    conversation: Conversation,
    requests: list[DocumentRequest],
    library_count: int,
) -> None:
    """Whether these documents may be attached to a reply here; else 422 naming `documents`."""
    if not requests:
        return
    if not chan.allows_attachments:
        raise ValidationFailed({FIELD: f"Pas de pièce jointe par {chan.label}."})
    if len(requests) + library_count > MAX_ATTACHMENTS:
        raise ValidationFailed({FIELD: f"{MAX_ATTACHMENTS} pièces jointes au plus."})
    if conversation.client_id is None:
        raise ValidationFailed(
            {FIELD: "Liez d'abord la conversation à la fiche du client : ses documents lui vont."}
        )
    for i, request in enumerate(requests):
        check_request(ctx, request, client_id=conversation.client_id, field=f"{FIELD}[{i}]")


def generate_attachments(
    ctx: Ctx, conversation: Conversation, requests: list[DocumentRequest]
) -> list[GeneratedDocument]:
    """Generate the checked documents (each recorded with its SHA-256)."""
    return [
        generate_document(ctx, request, client_id=conversation.client_id, field=f"{FIELD}[{i}]")
        for i, request in enumerate(requests)
    ]
