"""Client pages for candidates: search (home), the client file, new prospect, edit, identity."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.auth.access import role_required
from crm.claims.models import CATEGORIES
from crm.clients.forms import ClientEditForm, ProspectForm, SearchForm, VerifyIdentityForm
from crm.clients.identity import verify_identity
from crm.clients.models import Client
from crm.clients.services import (
    create_prospect,
    edit_data,
    load_client_file,
    search_clients,
    update_client,
    view_client,
)
from crm.contacts.forms import OpenContactForm
from crm.contacts.services import find_open_contact
from crm.orders.states import STATUS_LABELS as ORDER_STATUS_LABELS
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_attempt, candidate_ctx, in_attempt
from crm.web.forms import EmptyForm

bp = Blueprint("clients", __name__)

FIELD_LABELS = {
    "client_number": _l("n° client"),
    "last_name": _l("nom"),
    "first_name": _l("prénom"),
    "company_name": _l("raison sociale"),
    "postcode": _l("code postal"),
    "birth_date": _l("date de naissance"),
    "email": _l("e-mail"),
    "phone": _l("téléphone"),
}


@bp.route("/clients")
@role_required("candidate")
@unit_of_work
def search():
    """The candidate's home: search the attempt's clients (a search with words is recorded)."""
    form = SearchForm(request.args)
    if candidate_attempt() is None:
        return render_template("clients/search.html", form=form, result=None, no_attempt=True)
    ctx = candidate_ctx()
    result, status = None, 200
    if form.q.data and form.validate():
        with refused(form) as refusal:
            result = search_clients(ctx, form.q.data)
        status = refusal.status
    elif form.q.data:
        status = 422
    return render_template("clients/search.html", form=form, result=result), status


def _render_file(client: Client, client_file, *, verify_form=None, status=200):
    """The client file page with its forms."""
    return render_template(
        "clients/show.html",
        file=client_file,
        client=client,
        verify_form=verify_form or VerifyIdentityForm(),
        contact_form=OpenContactForm(client_id=client.id),
        open_contact=find_open_contact(client.attempt_id),
        categories=CATEGORIES,
        order_labels=ORDER_STATUS_LABELS,
        button=EmptyForm(),
    ), status


@bp.route("/clients/<int:client_id>")
@role_required("candidate")
@unit_of_work
def show(client_id: int):
    """The client file with its tabs (opening it is recorded)."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    client_file = view_client(ctx, client)
    return _render_file(client, client_file)


@bp.route("/clients/new", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def new():
    """Create a prospect file."""
    ctx = candidate_ctx()
    form = ProspectForm()
    if form.validate_on_submit():
        with refused(form):
            client = create_prospect(ctx, form.values())
            flash(_("Fiche prospect %(number)s créée.", number=client.number), "success")
            return redirect(url_for("clients.show", client_id=client.id))
    status = 422 if request.method == "POST" else 200
    return render_template("clients/form.html", form=form, client=None), status


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def edit(client_id: int):
    """Edit a client file; a refused form comes back with what was typed, nothing saved."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    if request.method == "GET":
        form = ClientEditForm(data=edit_data(client))
        return render_template("clients/form.html", form=form, client=client)
    form = ClientEditForm()
    if form.validate_on_submit():
        with refused(form):
            changes = update_client(ctx, client, form.values())
            if changes:
                flash(_("Fiche modifiée (%(n)s champ(s)).", n=len(changes)), "success")
            else:
                flash(_("Aucune modification."), "info")
            return redirect(url_for("clients.show", client_id=client.id))
    return render_template("clients/form.html", form=form, client=client), 422


@bp.route("/clients/<int:client_id>/verify-identity", methods=["POST"])
@role_required("candidate")
@unit_of_work
def verify(client_id: int):
    """Check the caller's identity against the file and say what did not match."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    form = VerifyIdentityForm()
    if form.validate_on_submit():
        with refused(form):
            check = verify_identity(ctx, client, form.values())
            # Said beside the identity form (clients/show.html), where the candidate looks.
            if check.verified:
                flash(_("Identité vérifiée."), "identity-ok")
            else:
                wrong = ", ".join(str(FIELD_LABELS.get(m, m)) for m in check.mismatches)
                message = _("Identité non vérifiée : %(fields)s ne correspond pas.", fields=wrong)
                flash(message, "identity-error")
            return redirect(url_for("clients.show", client_id=client.id) + "#identite")
    # Re-render the file (not recorded again: the candidate did not reopen it).
    return _render_file(client, load_client_file(client), verify_form=form, status=422)
