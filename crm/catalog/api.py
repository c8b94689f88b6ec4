"""API: the catalog (products in sale units, stock, substitutes, complements, promotions)."""

from __future__ import annotations

from flask import request

from crm.catalog.models import Product
from crm.catalog.serialize import product_dict
from crm.catalog.services import check_stock, running_promotions, search_products
from crm.validation import Fields
from crm.web.api import candidate_ctx, commit_and, in_attempt, make_api_blueprint, page_args, roles
from crm.web.openapi import doc, integer, text

bp = make_api_blueprint("catalog_api", __name__, operation_prefix="")


@bp.get("/products")
@roles("candidate")
@doc(
    query={
        "q?": text(100),
        "sku?": text(32),
        "category?": text(80),
        "limit?": "integer",
        "offset?": "integer",
    }
)
def products():
    """Search the catalog by name, SKU or category words (recorded when criteria are given)."""
    ctx = candidate_ctx()
    limit, offset = page_args()
    found = search_products(
        ctx,
        query=request.args.get("q", ""),
        sku=request.args.get("sku", ""),
        category=request.args.get("category", ""),
    )
    promotions = running_promotions(ctx.attempt.id)
    items = [product_dict(p, promotions) for p in found.products[offset : offset + limit]]
    return commit_and({"items": items, "total": len(found.products)})


@bp.get("/products/<int:product_id>")
@roles("candidate")
@doc(query={"quantity?": integer(1, 9999)})
def product(product_id):
    """One product; with `?quantity=` the stock check for that many sale units is recorded."""
    ctx = candidate_ctx()
    row = in_attempt(Product, product_id, ctx, label="Produit")
    fields = Fields(request.args)
    quantity = fields.integer("quantity", required=False, minimum=1, maximum=9999)
    fields.done()
    body = product_dict(row, running_promotions(ctx.attempt.id))
    if quantity is not None:
        check = check_stock(ctx, row, quantity)
        body["stock_check"] = {"quantity": check.quantity, "enough": check.enough}
    return commit_and(body)
