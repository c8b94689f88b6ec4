"""Knowledge-base articles, message templates and documents as the JSON API shows them."""

from __future__ import annotations

from crm.knowledge.models import Article, Document, MessageTemplate

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


def document_dict(document: Document) -> dict:
    """A document of the scenario's library (an attachment)."""
    return {
        "id": document.id,
        "key": document.key,
        "title": document.title,
        "filename": document.filename,
    }
