"""Order-entry pages for candidates: the order screen, shortages and offers, recap, confirmation.

Like the API, a stock-out or a credit refusal is committed (it is evidence) with the page that
answers 409 (`crm.web.boundary.unit_of_work` commits what a view returns); every other refusal
rolls back and leaves nothing behind.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from crm import clock
from crm.auth.access import role_required
from crm.boundary.integers import optional_db_int
from crm.catalog.models import Product
from crm.catalog.services import attempt_products, plural_unit, product_by_sku
from crm.clients.models import Client
from crm.orders import checkout, offers, services
from crm.orders.forms import LineForm, NewOrderForm, OfferForm
from crm.orders.models import Order, OrderLine
from crm.orders.pricing import order_totals
from crm.orders.recap import build_recap
from crm.orders.states import STATUS_LABELS
from crm.payments.receivables import client_outstanding, order_paid
from crm.web.boundary import flash_refusal, refused, unit_of_work
from crm.web.context import candidate_ctx, in_attempt
from crm.web.forms import EmptyForm

bp = Blueprint("orders", __name__, url_prefix="/orders")


def _show(order: Order, ctx, *, form=None, status=200, offer_errors=None, offer_values=None):
    """Render the order-entry screen."""
    client = order.client
    products = attempt_products(ctx.attempt.id)
    outstanding = client_outstanding(client.id, ctx.attempt.id)
    substitute_answers = {
        (o.product_id, o.for_product_id): o for o in order.offers if o.kind == "substitute"
    }
    page = render_template(
        "orders/show.html",
        order=order,
        client=client,
        outstanding=outstanding,
        available=client.credit_limit - outstanding,
        totals=order_totals(order.lines),
        paid=order_paid(order) if order.status != "draft" else None,
        form=form or LineForm(formdata=None),
        shortages=services.pending_shortages(ctx, order),
        substitute_answers=substitute_answers,
        suggestions=offers.additional_suggestions(order) if order.status == "draft" else [],
        products=products,
        units={p.sku.upper(): plural_unit(p.sale_unit_label) for p in products},
        offer_errors=offer_errors or {},
        offer_values=offer_values or {},
        status_labels=STATUS_LABELS,
    )
    return page, status


def _back(order: Order):
    """Back to the order-entry screen."""
    return redirect(url_for("orders.show", order_id=order.id))


def _order_page(order_id: int, **_args) -> str:
    """Where a refused order action goes back to: the order-entry screen."""
    return url_for("orders.show", order_id=order_id)


def _expired(order: Order):
    """Refuse a form whose CSRF token expired (nothing was done)."""
    flash(_("Formulaire expiré : rechargez la page et recommencez."), "error")
    return _back(order)


@bp.route("/new", methods=["POST"])
@role_required("candidate")
@unit_of_work
def create():
    """Open a draft order for the client whose file the button sits on."""
    ctx = candidate_ctx()
    form = NewOrderForm()
    if not form.validate_on_submit():
        flash(_("Impossible d'ouvrir la commande : client manquant ou formulaire expiré."), "error")
        return redirect(url_for("auth.index"))
    order = services.create_order(ctx, in_attempt(Client, form.client_id.data, ctx))
    flash(_("Commande %(number)s ouverte (brouillon).", number=order.number), "success")
    return _back(order)


@bp.route("/<int:order_id>")
@role_required("candidate")
def show(order_id: int):
    """The order-entry screen."""
    ctx = candidate_ctx()
    return _show(in_attempt(Order, order_id, ctx), ctx)


#: Service error fields → the line form's fields.
_LINE_FIELDS = {"quantity": "quantity", "product_id": "sku", "replaces_product_id": "sku"}


@bp.route("/<int:order_id>/lines", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def add_line(order_id: int):
    """Add a line by SKU; a stock-out shows the substitutes and the back-order option (409)."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    form = LineForm()
    if not form.validate_on_submit():
        return _show(order, ctx, form=form, status=422)
    replaces = None
    replaces_id = optional_db_int(form.replaces_product_id.data)
    if replaces_id is not None:
        replaces = in_attempt(Product, replaces_id, ctx)
    line_fields = {name: getattr(form, target) for name, target in _LINE_FIELDS.items()}
    with refused(form, fields=line_fields, rest=form.sku) as refusal:
        product = product_by_sku(ctx, form.sku.data)  # an unknown reference → beside `sku`
        result = services.add_line(
            ctx,
            order,
            product,
            form.quantity.data,
            replaces_product=replaces,
            additional=form.additional.data,
            backorder=form.backorder.data,
        )
    if refusal.fields:
        return _show(order, ctx, form=form, status=422)
    if refusal:
        return _back(order)
    # A stock-out met is evidence: committed with this page although the line is refused.
    if result.shortage is not None:
        flash(_("Stock insuffisant : proposez un produit de substitution ou un reliquat."), "error")
        return _show(order, ctx, form=form, status=409)
    flash(
        _(
            "Ligne ajoutée : %(name)s, %(quantity)s × %(unit)s.",
            name=product.name,
            quantity=result.line.quantity,
            unit=product.sale_unit_label,
        ),
        "success",
    )
    return _back(order)


@bp.route("/<int:order_id>/lines/<int:line_id>/remove", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def remove_line(order_id: int, line_id: int):
    """Remove a line from a draft."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    line = in_attempt(OrderLine, line_id, ctx)
    if line.order_id != order.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    services.remove_line(ctx, order, line)
    flash(_("Ligne retirée."), "success")
    return _back(order)


@bp.route("/<int:order_id>/offers", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def offer(order_id: int):
    """Record a substitute or additional product proposed; accepted, its line is added too."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    form = OfferForm()
    if not form.validate_on_submit():
        return _expired(order)
    product = in_attempt(Product, form.product_id.data, ctx)
    for_product = (
        in_attempt(Product, form.for_product_id.data, ctx) if form.for_product_id.data else None
    )
    accepted = form.answer.data == "accepted"
    with refused(quiet=True) as refusal:
        if form.kind.data == "substitute":
            result = offers.propose_substitute(
                ctx, order, product, for_product, accepted, form.quantity.data
            )
        else:
            result = offers.propose_additional(
                ctx, order, product, accepted, form.quantity.data, for_product
            )
    if refusal.fields:
        return _show(
            order,
            ctx,
            status=422,
            offer_errors={product.id: " ".join(refusal.fields.values())},
            offer_values={product.id: form.quantity.data},
        )
    if refusal:
        flash_refusal(refusal.error)
        return _back(order)
    if result.line_result is not None and result.line_result.shortage is not None:
        flash(_("Proposition enregistrée, mais ce produit manque aussi en stock."), "error")
        return _show(order, ctx, status=409)
    if accepted:
        flash(
            _("Proposition acceptée, ajoutée à la commande : %(name)s.", name=product.name),
            "success",
        )
    else:
        flash(_("Proposition refusée par le client : enregistrée."), "info")
    return _back(order)


@bp.route("/<int:order_id>/recap", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def read_recap(order_id: int):
    """Read the recap to the client (recorded), then show it."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    checkout.read_recap(ctx, order)
    return redirect(url_for("orders.recap", order_id=order.id))


def _recap_page(order: Order, ctx, *, refusal=None, status=200):
    """Render the recap page (nothing recorded here), with a credit refusal if any."""
    recap = build_recap(order, ctx.attempt.settings.get("company", {}), clock.today())
    page = render_template(
        "orders/recap.html",
        order=order,
        recap=recap,
        refusal=refusal,
        status_labels=STATUS_LABELS,
    )
    return page, status


@bp.route("/<int:order_id>/recap")
@role_required("candidate")
def recap(order_id: int):
    """The recap page (reading it is recorded by the button that leads here)."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not order.lines:
        flash(_("La commande ne contient aucune ligne : rien à récapituler."), "error")
        return _back(order)
    return _recap_page(order, ctx)


@bp.route("/<int:order_id>/confirm", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def confirm(order_id: int):
    """Confirm the order; a credit refusal is recorded and shown on the recap (409)."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    result = checkout.confirm_order(ctx, order)
    # A credit refusal is evidence: committed with the recap although nothing else changed.
    if result.refusal is not None:
        return _recap_page(order, ctx, refusal=result.refusal, status=409)
    flash(_("Commande %(number)s confirmée.", number=order.number), "success")
    for back in result.backorders:
        flash(_backorder_text(back), "warning")
    return _back(order)


def _backorder_text(back: checkout.BackOrder) -> str:
    """What the candidate tells the client about units the stock could not fill."""
    text = _(
        "Stock insuffisant à la confirmation : %(quantity)s × %(name)s (%(sku)s) en reliquat",
        quantity=back.quantity,
        name=back.name,
        sku=back.sku,
    )
    if back.restock_date:
        when = _("réappro prévu le %(date)s", date=f"{back.restock_date:%d/%m/%Y}")
    else:
        when = _("réappro non planifié")
    return _("%(first)s ; %(second)s", first=text, second=when) + "."


@bp.route("/<int:order_id>/cancel", methods=["POST"])
@role_required("candidate")
@unit_of_work(back=_order_page)
def cancel(order_id: int):
    """Cancel a draft or an unpaid confirmed order."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    checkout.cancel_order(ctx, order)
    flash(_("Commande %(number)s annulée.", number=order.number), "success")
    return _back(order)
