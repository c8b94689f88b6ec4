"""Catalog pages for candidates: search with stock badges, and a product's sheet."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from crm.auth.access import role_required
from crm.catalog.models import Product
from crm.catalog.services import (
    categories,
    check_stock,
    running_promotions,
    search_products,
)
from crm.validation import Fields
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_ctx, in_attempt

bp = Blueprint("catalog", __name__)


@bp.route("/catalog")
@role_required("candidate")
@unit_of_work
def index():
    """Search the catalog by words and category (a search with criteria is recorded)."""
    ctx = candidate_ctx()
    with refused(quiet=True) as refusal:
        found = search_products(
            ctx,
            query=request.args.get("q", ""),
            category=request.args.get("category", ""),
        )
    if refusal:
        found = search_products(ctx)
    errors = refusal.fields
    return render_template(
        "catalog/index.html",
        found=found,
        categories=categories(ctx.attempt.id),
        promotions=running_promotions(ctx.attempt.id),
        errors=errors,
    ), (422 if errors else 200)


@bp.route("/catalog/<int:product_id>")
@role_required("candidate")
@unit_of_work
def show(product_id: int):
    """A product: sale unit explained, prices HT/TTC, stock, substitutes and complements."""
    ctx = candidate_ctx()
    product = in_attempt(Product, product_id, ctx)
    fields = Fields(request.args)
    quantity = fields.integer("quantity", required=False, minimum=1, maximum=9999)
    check = None
    if quantity is not None:
        check = check_stock(ctx, product, quantity)
    return render_template(
        "catalog/show.html",
        product=product,
        promotion=running_promotions(ctx.attempt.id).get(product.sku),
        check=check,
        quantity_error=fields.errors.get("quantity"),
        typed_quantity=request.args.get("quantity", ""),
    ), (422 if fields.errors else 200)
