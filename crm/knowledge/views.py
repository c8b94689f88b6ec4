"""Knowledge-base pages: search with categories, and an article (search and read are recorded)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.auth.access import role_required
from crm.knowledge.models import Article
from crm.knowledge.services import categories_of, read_article, search_articles
from crm.web.boundary import unit_of_work
from crm.web.context import candidate_ctx, in_attempt

bp = Blueprint("knowledge", __name__)


@bp.route("/knowledge")
@role_required("candidate")
@unit_of_work
def index():
    """Search the knowledge base and browse it by category."""
    ctx = candidate_ctx()
    result = search_articles(ctx, request.args.get("q", ""), request.args.get("category", ""))
    return render_template(
        "knowledge/index.html", result=result, categories=categories_of(ctx.attempt.id)
    )


@bp.route("/knowledge/<int:article_id>")
@role_required("candidate")
@unit_of_work
def article(article_id: int):
    """Read an article."""
    ctx = candidate_ctx()
    item = in_attempt(Article, article_id, ctx)
    read_article(ctx, item)
    return render_template("knowledge/article.html", article=item, back=request.args.get("q", ""))
