"""Contract pages: one contract with its retention offers, its cancellation and confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.auth.access import role_required
from crm.contracts.forms import (
    CHANNEL_LABELS,
    OFFER_STATUS_LABELS,
    STATUS_LABELS,
    AnswerForm,
    CancelForm,
    ConfirmForm,
    OfferForm,
)
from crm.contracts.models import Contract, RetentionOffer
from crm.contracts.services import (
    answer_offer,
    cancel_contract,
    confirm_cancellation,
    earliest_end,
    eligible_offers,
    make_offer,
    offers_on,
)
from crm.db import db
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_ctx, in_attempt
from crm.web.forms import options

bp = Blueprint("contracts", __name__)


def _page(ctx, contract: Contract, status: int = 200, **forms):
    """The contract page; `forms` replace the fresh ones (a refused form keeps its input)."""
    db.session.refresh(contract)
    eligible = eligible_offers(ctx, contract)
    offer_form = forms.get("offer_form") or OfferForm()
    offer_form.offer.choices = options([("", "—")] + [(o["key"], o["label"]) for o in eligible])
    first = earliest_end(ctx, contract)
    cancel_form = forms.get("cancel_form") or CancelForm(effective_on=first)
    return render_template(
        "contracts/show.html",
        contract=contract,
        client=contract.client,
        offers=offers_on(contract),
        eligible=eligible,
        earliest=first,
        offer_form=offer_form,
        answer_form=AnswerForm(),
        cancel_form=cancel_form,
        confirm_form=forms.get("confirm_form") or ConfirmForm(),
        statuses=STATUS_LABELS,
        offer_statuses=OFFER_STATUS_LABELS,
        channels=CHANNEL_LABELS,
    ), status


@bp.route("/contracts/<int:contract_id>")
@role_required("candidate")
def show(contract_id: int):
    """A contract: plan, price, commitment, the offers made and what can be done next."""
    ctx = candidate_ctx()
    return _page(ctx, in_attempt(Contract, contract_id, ctx))


@bp.route("/contracts/<int:contract_id>/offer", methods=["POST"])
@role_required("candidate")
@unit_of_work
def offer(contract_id: int):
    """Make a retention offer (refused, with the reason, outside the pack's rules)."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx)
    form = OfferForm()
    form.offer.choices = options([(request.form.get("offer", ""), "")])
    if form.validate_on_submit():
        with refused(form):
            made = make_offer(ctx, contract, form.offer.data)
            flash(_("Offre proposée : %(label)s.", label=made.label), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return _page(ctx, contract, 422, offer_form=form)


@bp.route("/retention-offers/<int:offer_id>/<answer>", methods=["POST"])
@role_required("candidate")
@unit_of_work
def answer(offer_id: int, answer: str):
    """Record the customer's answer: accepted or refused."""
    if answer not in ("accept", "refuse"):
        abort(404)
    ctx = candidate_ctx()
    made = in_attempt(RetentionOffer, offer_id, ctx)
    form = AnswerForm()
    if form.validate_on_submit():
        with refused(form):
            answer_offer(ctx, made, answer == "accept")
            flash(
                _("Offre acceptée : le client garde son contrat.")
                if answer == "accept"
                else _("Offre refusée."),
                "success",
            )
            return redirect(url_for("contracts.show", contract_id=made.contract_id))
    return _page(ctx, made.contract, 409)


@bp.route("/contracts/<int:contract_id>/cancel", methods=["POST"])
@role_required("candidate")
@unit_of_work
def cancel(contract_id: int):
    """Register the cancellation at its effective date (refused before the notice or the
    commitment's end)."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx)
    form = CancelForm()
    if form.validate_on_submit():
        with refused(form):
            cancel_contract(ctx, contract, form.effective_on.data, form.reason.data)
            flash(
                _(
                    "Résiliation enregistrée, effective le %(date)s.",
                    date=f"{form.effective_on.data:%d/%m/%Y}",
                ),
                "success",
            )
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return _page(ctx, contract, 422, cancel_form=form)


@bp.route("/contracts/<int:contract_id>/confirm", methods=["POST"])
@role_required("candidate")
@unit_of_work
def confirm(contract_id: int):
    """Send the written confirmation of the cancellation."""
    ctx = candidate_ctx()
    contract = in_attempt(Contract, contract_id, ctx)
    form = ConfirmForm()
    if form.validate_on_submit():
        with refused(form):
            confirm_cancellation(ctx, contract, form.channel.data)
            flash(_("Confirmation de résiliation envoyée."), "success")
            return redirect(url_for("contracts.show", contract_id=contract.id))
    return _page(ctx, contract, 422, confirm_form=form)
