"""Claim pages: open a claim from the client file, the claim with its status buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.auth.access import role_required
from crm.claims.forms import (
    EVENT_LABELS,
    STATUS_LABELS,
    ClaimForm,
    ClaimStatusForm,
)
from crm.claims.models import CATEGORIES, Claim
from crm.claims.services import change_claim_status, open_claim
from crm.claims.states import CLAIM_TRANSITIONS, allowed_events
from crm.clients.models import Client
from crm.db import db
from crm.orders.models import Order
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_ctx, in_attempt
from crm.web.forms import options

bp = Blueprint("claims", __name__)


def _labels() -> dict:
    """French labels the claim templates use."""
    return {"statuses": STATUS_LABELS, "events": EVENT_LABELS, "categories": CATEGORIES}


@bp.route("/clients/<int:client_id>/claims/new", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def new(client_id: int):
    """Open a claim for the client, optionally about one of their orders."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    orders = db.session.scalars(
        sa.select(Order)
        .where(Order.attempt_id == ctx.attempt.id, Order.client_id == client.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
    ).all()
    form = ClaimForm()
    form.order_id.choices = options([("", _("Aucune"))] + [(str(o.id), o.number) for o in orders])
    if form.validate_on_submit():
        order = next((o for o in orders if str(o.id) == form.order_id.data), None)
        with refused(form):
            claim = open_claim(ctx, client, form.category.data, form.description.data, order)
            flash(_("Réclamation %(number)s ouverte.", number=claim.number), "success")
            return redirect(url_for("claims.show", claim_id=claim.id))
    status = 422 if request.method == "POST" else 200
    return render_template("claims/new.html", form=form, client=client, **_labels()), status


@bp.route("/claims/<int:claim_id>")
@role_required("candidate")
def show(claim_id: int):
    """A claim with the status changes its state allows."""
    ctx = candidate_ctx()
    claim = in_attempt(Claim, claim_id, ctx)
    return render_template(
        "claims/show.html",
        claim=claim,
        form=ClaimStatusForm(),
        allowed=allowed_events(claim.status),
        **_labels(),
    )


@bp.route("/claims/<int:claim_id>/<event>", methods=["POST"])
@role_required("candidate")
@unit_of_work
def change_status(claim_id: int, event: str):
    """Move the claim (start, resolve, close, reject, reopen)."""
    ctx = candidate_ctx()
    claim = in_attempt(Claim, claim_id, ctx)
    if event not in CLAIM_TRANSITIONS:
        abort(404)
    form = ClaimStatusForm()
    status = 422
    if form.validate_on_submit():
        old = claim.status
        with refused(form) as refusal:
            change_claim_status(ctx, claim, event, form.resolution.data or "")
            flash(
                _(
                    "Réclamation : %(old)s → %(new)s.",
                    old=STATUS_LABELS[old],
                    new=STATUS_LABELS[claim.status],
                ),
                "success",
            )
            return redirect(url_for("claims.show", claim_id=claim.id))
        status = refusal.status
    db.session.refresh(claim)
    return render_template(
        "claims/show.html",
        claim=claim,
        form=form,
        allowed=allowed_events(claim.status),
        **_labels(),
    ), status
