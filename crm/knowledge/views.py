"""Knowledge-base pages: search with categories, and an article (search and read are recorded)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.auth.access import role_required
from crm.contacts.context import in_world, page_ctx
from crm.db import db
from crm.knowledge.models import Article
from crm.knowledge.services import categories_of, read_article, search_articles

bp = Blueprint("knowledge", __name__)


@bp.route("/knowledge")
@role_required("candidate")
def index():
    """Search the knowledge base and browse it by category."""
    ctx = page_ctx()
    result = search_articles(ctx, request.args.get("q", ""), request.args.get("category", ""))
    db.session.commit()
    return render_template(
        "knowledge/index.html", result=result, categories=categories_of(ctx.attempt.id)
    )


@bp.route("/knowledge/<int:article_id>")
@role_required("candidate")
def article(article_id: int):
    """Read an article."""
    ctx = page_ctx()
    item = in_world(Article, article_id, ctx)
    read_article(ctx, item)
    db.session.commit()
    return render_template("knowledge/article.html", article=item, back=request.args.get("q", ""))
