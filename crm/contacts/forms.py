"""Contact forms: open a contact, qualify it, schedule a callback, book an appointment."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from crm import channels
from crm.contacts.agenda import PARIS
from crm.web.forms import options

DIRECTION_LABELS = {"inbound": _l("Entrant"), "outbound": _l("Sortant")}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def parse_local(text: str | None) -> datetime | None:
    """A `datetime-local` value (Paris time) as an aware datetime, None if malformed."""
    try:
        return datetime.strptime((text or "").strip(), LOCAL_FORMAT).replace(tzinfo=PARIS)
    except ValueError:
        return None


def _local_moment(form, field) -> None:
    if parse_local(field.data) is None:
        raise ValidationError(_l("Date et heure attendues (jj/mm/aaaa hh:mm)."))


class OpenContactForm(FlaskForm):
    """Open a contact with the client whose file is shown."""

    client_id = HiddenField()
    channel = SelectField(_l("Canal"), choices=options(channels.labels().items()))
    direction = SelectField(_l("Sens"), choices=options(DIRECTION_LABELS.items()))
    subject = StringField(_l("Objet"), validators=[Length(max=200)])


class QualifyForm(FlaskForm):
    """Close the contact with a qualification code and a note (choices set by the view)."""

    code = SelectField(_l("Code de qualification"), validators=[DataRequired()])
    note = TextAreaField(
        _l("Note"),
        validators=[
            DataRequired(_l("Une note est obligatoire pour qualifier le contact.")),
            Length(max=4000),
        ],
    )


class CallbackForm(FlaskForm):
    """A callback promised to the client."""

    due_at = StringField(
        _l("Date et heure du rappel"),
        validators=[DataRequired(_l("Indiquez la date et l'heure.")), _local_moment],
    )
    reason = StringField(
        _l("Motif"),
        validators=[DataRequired(_l("Indiquez le motif du rappel.")), Length(max=300)],
    )


class AppointmentForm(FlaskForm):
    """An appointment with a sales rep (rep choices set by the view)."""

    rep = SelectField(_l("Commercial"), validators=[DataRequired()])
    starts_at = StringField(
        _l("Début du rendez-vous"),
        validators=[DataRequired(_l("Choisissez un créneau.")), _local_moment],
    )
    topic = StringField(
        _l("Objet"),
        validators=[DataRequired(_l("Indiquez l'objet du rendez-vous.")), Length(max=300)],
    )
