"""The knowledge base: search and read articles (both recorded), list templates and documents."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from crm.actionlog.services import Ctx, record
from crm.clients.cleaning import fold
from crm.db import db
from crm.knowledge.models import Article, Document, MessageTemplate

MAX_QUERY = 200
#: How much more a word found in the title (or tags) weighs than one found in the body.
WEIGHTS = {"title": 5, "tags": 3, "category": 2, "body": 1}


@dataclass
class KbSearch:
    """Articles matching a search, best first."""

    query: str
    category: str
    articles: list[Article]


def _score(article: Article, tokens: list[str]) -> int:
    """0 when a word of the query is missing from the article, else a weight of where they are."""
    parts = {
        "title": fold(article.title),
        "tags": fold(" ".join(article.tags or [])),
        "category": fold(article.category),
        "body": fold(article.body),
    }
    score = 0
    for token in tokens:
        found = [name for name, text in parts.items() if token in text]
        if not found:
            return 0
        score += sum(WEIGHTS[name] for name in found)
    return score


def articles_of(attempt_id: int, category: str = "") -> list[Article]:
    """The attempt's articles (of one category if given), by category then title."""
    query = sa.select(Article).where(Article.attempt_id == attempt_id)
    if category:
        query = query.where(Article.category == category)
    return db.session.scalars(query.order_by(Article.category, Article.title)).all()


def categories_of(attempt_id: int) -> list[str]:
    """The attempt's article categories, sorted."""
    rows = db.session.scalars(
        sa.select(Article.category).where(Article.attempt_id == attempt_id).distinct()
    )
    return sorted(c for c in rows if c)


def search_articles(ctx: Ctx, query: str, category: str = "") -> KbSearch:
    """Articles containing every word of the query; records `kb.searched` when a query is given."""
    query = (query or "").strip()[:MAX_QUERY]
    category = (category or "").strip()[:80]
    articles = articles_of(ctx.attempt.id, category)
    tokens = fold(query).split()
    if tokens:
        scored = [(score, a) for a in articles if (score := _score(a, tokens))]
        scored.sort(key=lambda pair: (-pair[0], pair[1].title))
        articles = [a for _score_, a in scored]
    if query:
        record(
            ctx,
            "kb.searched",
            payload={
                "query": query,
                "category": category,
                "results": len(articles),
                "article_ids": [a.id for a in articles[:20]],
            },
        )
    return KbSearch(query, category, articles)


def read_article(ctx: Ctx, article: Article) -> Article:
    """Open an article; records `kb.read`."""
    record(
        ctx,
        "kb.read",
        article,
        {"slug": article.slug, "title": article.title, "category": article.category},
    )
    return article


def message_templates(attempt_id: int, channel: str = "", language: str = ""):
    """The attempt's message templates, optionally of one channel and language (not recorded)."""
    query = sa.select(MessageTemplate).where(MessageTemplate.attempt_id == attempt_id)
    if channel:
        query = query.where(MessageTemplate.channel == channel)
    if language:
        query = query.where(MessageTemplate.language == language)
    return query.order_by(MessageTemplate.name, MessageTemplate.id)


def documents(attempt_id: int):
    """The attempt's document library (not recorded)."""
    return sa.select(Document).where(Document.attempt_id == attempt_id).order_by(Document.title)
