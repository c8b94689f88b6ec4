"""Contact pages: open a contact, qualify it, schedule a callback, book an appointment."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.auth.access import role_required
from crm.boundary.integers import db_int
from crm.clients.models import Client
from crm.contacts.agenda import PARIS
from crm.contacts.booking import book_appointment, find_rep, rep_calendars, schedule_callback
from crm.contacts.forms import (
    LOCAL_FORMAT,
    AppointmentForm,
    CallbackForm,
    OpenContactForm,
    QualifyForm,
    parse_local,
)
from crm.contacts.models import Contact, QualificationCode
from crm.contacts.services import find_open_contact, open_contact, qualify_contact
from crm.db import db
from crm.web.boundary import refused, unit_of_work
from crm.web.context import candidate_attempt, candidate_ctx, in_attempt
from crm.web.forms import attach_errors, options

bp = Blueprint("contacts", __name__)


def _client_page(client_id: int | None) -> str:
    """The client file when there is one, else the search page."""
    if client_id:
        return url_for("clients.show", client_id=client_id)
    return url_for("clients.search")


@bp.get("/contacts/current")
@role_required("candidate")
def current():
    """The open contact's banner and, with `client_id`, that client file's contact box: what
    the desk swaps into the CRM pane when the contact changes (the file is not opened again,
    so nothing is recorded)."""
    attempt = candidate_attempt() or abort(404)
    client_id = request.args.get("client_id", type=db_int)
    client = db.session.get(Client, client_id) if client_id else None
    if client is not None and client.attempt_id != attempt.id:
        abort(404)
    return render_template(
        "contacts/_current.html",
        open_contact=find_open_contact(attempt.id),
        client=client,
        c=client,
        contact_form=OpenContactForm(client_id=client.id) if client else None,
    )


@bp.route("/contacts/open", methods=["POST"])
@role_required("candidate")
@unit_of_work
def open_():
    """Open a contact from the client file (refused while another one is open)."""
    ctx = candidate_ctx()
    form = OpenContactForm()
    client_id = request.form.get("client_id", type=db_int)
    client = in_attempt(Client, client_id, ctx) if client_id else None
    if form.validate_on_submit():
        with refused(form, flash_all=True):
            contact = open_contact(
                ctx, client, form.channel.data, form.direction.data, form.subject.data or ""
            )
            flash(_("Contact ouvert. Pensez à le qualifier à la fin de l'échange."), "success")
            return redirect(_client_page(contact.client_id))
    else:
        flash(_("Formulaire expiré ou incomplet : contact non ouvert."), "error")
    return redirect(_client_page(client_id))


def _qualify_form(ctx) -> tuple[QualifyForm, list[QualificationCode]]:
    """The form with the attempt's codes as choices."""
    codes = db.session.scalars(
        sa.select(QualificationCode)
        .where(QualificationCode.attempt_id == ctx.attempt.id)
        .order_by(QualificationCode.family, QualificationCode.code)
    ).all()
    form = QualifyForm()
    form.code.choices = options([("", "—")] + [(c.code, f"{c.code} — {c.label}") for c in codes])
    return form, codes


@bp.route("/contacts/<int:contact_id>/qualify", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def qualify(contact_id: int):
    """Close a contact with a code and a note; the code's requirements are checked."""
    ctx = candidate_ctx()
    contact = in_attempt(Contact, contact_id, ctx)
    form, codes = _qualify_form(ctx)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            with refused(form) as refusal:
                qualify_contact(ctx, contact, form.code.data, form.note.data)
                flash(_("Contact qualifié (%(code)s).", code=contact.code), "success")
                return redirect(_client_page(contact.client_id))
            status = refusal.status
    return render_template("contacts/qualify.html", form=form, contact=contact, codes=codes), status


@bp.route("/clients/<int:client_id>/callback", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def callback(client_id: int):
    """Schedule a callback for the client (legal calling windows for consumers)."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    form = CallbackForm()
    if form.validate_on_submit():
        with refused(form):
            schedule_callback(ctx, client, parse_local(form.due_at.data), form.reason.data)
            flash(_("Rappel programmé."), "success")
            return redirect(url_for("clients.show", client_id=client.id) + "#agenda")
    status = 422 if request.method == "POST" else 200
    return render_template("contacts/callback.html", form=form, client=client), status


@bp.route("/clients/<int:client_id>/appointment", methods=["GET", "POST"])
@role_required("candidate")
@unit_of_work
def appointment(client_id: int):
    """Choose a sales rep, see their free slots, book one."""
    ctx = candidate_ctx()
    client = in_attempt(Client, client_id, ctx)
    calendars = rep_calendars(ctx)
    form = AppointmentForm() if request.method == "POST" else AppointmentForm(request.args)
    form.rep.choices = options([("", "—")] + [(c.rep.key, c.rep.name) for c in calendars])
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            rep = find_rep(ctx, form.rep.data)
            with refused(form, quiet=True) as refusal:
                book_appointment(
                    ctx, client, rep, parse_local(form.starts_at.data), form.topic.data
                )
                flash(_("Rendez-vous pris."), "success")
                return redirect(url_for("clients.show", client_id=client.id) + "#agenda")
            if refusal.fields:
                attach_errors(form, refusal.error)
            else:
                # A slot taken (or any other refusal) is said beside the slot chosen.
                form.starts_at.errors = [*form.starts_at.errors, refusal.error.message]
            status = refusal.status
    return render_template(
        "contacts/appointment.html",
        form=form,
        client=client,
        calendars=calendars,
        paris=PARIS,
        local_format=LOCAL_FORMAT,
    ), status
