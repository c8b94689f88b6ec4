"""API: the knowledge base (search and read are recorded), message templates and documents."""

from __future__ import annotations

from flask import request

from crm.api.core import bp, candidate_ctx, commit_and, in_attempt, listing, page_args, roles
from crm.api.docs import doc, one_of
from crm.knowledge.models import Article, Document, MessageTemplate
from crm.knowledge.services import documents, message_templates, read_article, search_articles
from crm.training.scenario_schema.vocabulary import TEMPLATE_CHANNELS
from crm.validation import Fields

EXCERPT = 240


def article_dict(article: Article, *, full: bool = False) -> dict:
    """Public fields of an article; the body only when read, an excerpt in lists."""
    body = {
        "id": article.id,
        "slug": article.slug,
        "title": article.title,
        "category": article.category,
        "tags": list(article.tags or []),
    }
    if full:
        body["body"] = article.body
    else:
        text = " ".join(article.body.split())
        body["excerpt"] = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
    return body


@bp.get("/knowledge")
@roles("candidate")
@doc(
    query={"q?": "search", "category?": "search", "limit?": "integer", "offset?": "integer"},
    tag="Knowledge",
)
def knowledge_search():
    """Search the knowledge base (recorded when a query is given)."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    result = search_articles(ctx, request.args.get("q", ""), request.args.get("category", ""))
    items = [article_dict(a) for a in result.articles[offset : offset + limit]]
    return commit_and({"items": items, "total": len(result.articles)})


@bp.get("/knowledge/<int:article_id>")
@roles("candidate")
@doc(tag="Knowledge")
def knowledge_article(article_id):
    """Read an article (recorded)."""
    ctx = candidate_ctx()
    article = in_attempt(Article, article_id, ctx, label="Article")
    return commit_and(article_dict(read_article(ctx, article), full=True))


def template_dict(template: MessageTemplate) -> dict:
    """Public fields of a message template."""
    return {
        "id": template.id,
        "key": template.key,
        "name": template.name,
        "channel": template.channel,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
    }


@bp.get("/templates")
@roles("candidate")
@doc(
    query={
        "channel?": one_of(*TEMPLATE_CHANNELS),
        "language?": one_of("fr", "en"),
        "limit?": "integer",
        "offset?": "integer",
    },
    tag="Knowledge",
)
def templates_list():
    """Message templates, optionally of one channel and language."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    fields = Fields(request.args)
    channel = fields.text("channel", required=False, choices=set(TEMPLATE_CHANNELS))
    language = fields.text("language", required=False, choices={"fr", "en"})
    fields.done()
    query = message_templates(ctx.attempt.id, channel or "", language or "")
    return listing(query, template_dict, limit, offset)


@bp.get("/documents")
@roles("candidate")
@doc(query={"limit?": "integer", "offset?": "integer"}, tag="Knowledge")
def documents_list():
    """The scenario's document library (attachments)."""
    ctx = candidate_ctx()
    limit, offset = page_args()

    def document_dict(document: Document) -> dict:
        return {
            "id": document.id,
            "key": document.key,
            "title": document.title,
            "filename": document.filename,
        }

    return listing(documents(ctx.attempt.id), document_dict, limit, offset)
