"""After-sales pages of the CRM pane: an order's tracking, investigation, re-shipment, return,
credit notes and refunds. Refusals roll back, flash the French reason and go back
(`crm.web.boundary.refused`)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm import clock
from crm.aftersales import credits, deliveries, returns, warranty
from crm.aftersales.forms import GoodwillForm, NoteForm, ReturnForm
from crm.aftersales.models import CreditNote, Delivery, Return
from crm.auth.access import role_required
from crm.orders.models import Order
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_ctx, in_attempt
from crm.web.forms import EmptyForm

bp = Blueprint("aftersales", __name__, url_prefix="/after-sales")


def _to_order(order: Order, anchor: str = "after-sales"):
    """Back to the order's screen, at its after-sales section."""
    return redirect(url_for("orders.show", order_id=order.id, _anchor=anchor))


def _expired(order: Order):
    flash(_("Formulaire expiré : rechargez la page et recommencez."), "error")
    return _to_order(order)


@bp.route("/orders/<int:order_id>/tracking", methods=["POST"])
@role_required("candidate")
@unit_of_work
def read_tracking(order_id: int):
    """Read the order's carrier tracking (recorded), then show it."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    with refused():
        deliveries.read_tracking(ctx, order)
        return redirect(url_for("aftersales.tracking", order_id=order.id))
    return _to_order(order)


@bp.route("/orders/<int:order_id>/warranty", methods=["POST"])
@role_required("candidate")
@unit_of_work
def check_warranty(order_id: int):
    """Check the warranty of the order's lines (recorded) and say each line's end date."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    with refused():
        today = clock.today()
        for line in warranty.check_warranty(ctx, order):
            words = {"product": line.line.product.name, "date": f"{line.until:%d/%m/%Y}"}
            if line.covered(today):
                flash(
                    _("%(product)s : sous garantie jusqu'au %(date)s inclus.", **words), "success"
                )
            else:
                flash(_("%(product)s : garantie terminée le %(date)s.", **words), "error")
        return _to_order(order, "warranty")
    return _to_order(order, "warranty")


@bp.route("/orders/<int:order_id>/tracking")
@role_required("candidate")
def tracking(order_id: int):
    """The tracking page (reading it is recorded by the button that leads here)."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    parcels = deliveries.order_deliveries(order)
    if not parcels:
        flash(_("Aucun envoi chez un transporteur pour cette commande."), "error")
        return _to_order(order)
    return render_template(
        "aftersales/tracking.html", order=order, deliveries=parcels, form=NoteForm(formdata=None)
    )


def _delivery_step(delivery_id: int, service, done: str):
    """Investigate or re-ship a parcel from the tracking page."""
    ctx = candidate_ctx()
    delivery = in_attempt(Delivery, delivery_id, ctx)
    order = delivery.order
    form = NoteForm()
    if not form.validate_on_submit():
        if form.errors.get("note"):
            flash(" ".join(form.errors["note"]), "error")
            return redirect(url_for("aftersales.tracking", order_id=order.id))
        return _expired(order)
    with refused():
        result = service(ctx, delivery, form.note.data)
        flash(done % {"ref": result.investigation_reference or result.tracking_number}, "success")
    return redirect(url_for("aftersales.tracking", order_id=order.id))


@bp.route("/deliveries/<int:delivery_id>/investigation", methods=["POST"])
@role_required("candidate")
@unit_of_work
def investigate(delivery_id: int):
    """Open an investigation with the carrier on the parcel's incident."""
    return _delivery_step(
        delivery_id, deliveries.open_investigation, _("Enquête transporteur ouverte : %(ref)s.")
    )


@bp.route("/deliveries/<int:delivery_id>/reship", methods=["POST"])
@role_required("candidate")
@unit_of_work
def reship(delivery_id: int):
    """Send the order again in place of the parcel (new tracking number)."""
    return _delivery_step(
        delivery_id, deliveries.reship_order, _("Commande réexpédiée : nouveau suivi %(ref)s.")
    )


def _wanted_lines(order: Order) -> list[dict] | None:
    """`quantity-<line id>` fields of the return form; blank or 0 lines are left out."""
    wanted = []
    for line in order.lines:
        raw = (request.form.get(f"quantity-{line.id}") or "").strip()
        if raw in ("", "0"):
            continue
        quantity = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else -1
        wanted.append({"line_id": line.id, "quantity": quantity})
    return wanted


@bp.route("/orders/<int:order_id>/returns", methods=["POST"])
@role_required("candidate")
@unit_of_work
def authorise_return(order_id: int):
    """Authorise a withdrawal on the order: authorisation number and return label."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    form = ReturnForm()
    if not form.validate_on_submit():
        if form.errors.get("reason"):
            flash(" ".join(form.errors["reason"]), "error")
            return _to_order(order)
        return _expired(order)
    with refused():
        ret = returns.authorise_return(ctx, order, _wanted_lines(order), form.reason.data)
        flash(
            _(
                "Retour autorisé : n° %(number)s, étiquette %(label)s, à renvoyer sous 14 jours.",
                number=ret.number,
                label=ret.label_code,
            ),
            "success",
        )
    return _to_order(order)


@bp.route("/returns/<int:return_id>/credit-note", methods=["POST"])
@role_required("candidate")
@unit_of_work
def credit_return(return_id: int):
    """Issue the credit note of an authorised return."""
    ctx = candidate_ctx()
    ret = in_attempt(Return, return_id, ctx)
    order = ret.order
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    with refused():
        note = credits.credit_return(ctx, ret)
        flash(_("Avoir %(number)s émis.", number=note.number), "success")
    return _to_order(order)


@bp.route("/orders/<int:order_id>/goodwill", methods=["POST"])
@role_required("candidate")
@unit_of_work
def goodwill(order_id: int):
    """A goodwill credit note on the order, within the adviser's delegation."""
    ctx = candidate_ctx()
    order = in_attempt(Order, order_id, ctx)
    form = GoodwillForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return _to_order(order)
    with refused():
        note = credits.grant_goodwill(
            ctx, order.client, form.amount.data, form.reason.data, order=order
        )
        flash(_("Avoir %(number)s émis (geste commercial).", number=note.number), "success")
    return _to_order(order)


@bp.route("/credit-notes/<int:note_id>/refund", methods=["POST"])
@role_required("candidate")
@unit_of_work
def refund(note_id: int):
    """Refund a credit note on the original payment."""
    ctx = candidate_ctx()
    note = in_attempt(CreditNote, note_id, ctx)
    order = note.order
    if order is None:
        abort(404)  # a credit note on the account alone has no order page to come back to
    if not EmptyForm().validate_on_submit():
        return _expired(order)
    with refused():
        done = credits.refund_credit_note(ctx, note)
        flash(
            _(
                "Avoir %(number)s remboursé sur le règlement d'origine%(card)s.",
                number=note.number,
                card=f" ({done.masked_card})" if done.masked_card else "",
            ),
            "success",
        )
    return _to_order(order)
