"""API: the knowledge base (search and read are recorded), message templates and documents."""

from __future__ import annotations

from flask import request

from crm.knowledge.models import Article
from crm.knowledge.serialize import article_dict, document_dict, template_dict
from crm.knowledge.services import documents, message_templates, read_article, search_articles
from crm.training.scenario_schema.vocabulary import TEMPLATE_CHANNELS
from crm.validation import Fields
from crm.web.api import (
    candidate_ctx,
    commit_and,
    in_attempt,
    listing,
    make_api_blueprint,
    page_args,
    roles,
)
from crm.web.openapi import doc, one_of

bp = make_api_blueprint("knowledge_api", __name__, operation_prefix="")


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

    return listing(documents(ctx.attempt.id), document_dict, limit, offset)
