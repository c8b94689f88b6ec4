"""Contract forms: make a retention offer, record the answer, cancel, confirm in writing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm import channels
from crm.contracts.services import MAX_REASON
from crm.web.forms import options

STATUS_LABELS = {"active": _l("Actif"), "cancelled": _l("Résilié")}
OFFER_STATUS_LABELS = {
    "proposed": _l("Proposée, en attente de réponse"),
    "accepted": _l("Acceptée"),
    "refused": _l("Refusée"),
}
#: The channels a change is confirmed on, by their screen labels (the registry's).
CHANNEL_LABELS = {n: channels.label_of(n) for n in channels.contract_confirmation_channels()}


class OfferForm(FlaskForm):
    """One of the offers the contract may receive (choices set by the view)."""

    offer = SelectField(
        _l("Offre de fidélisation"), validators=[DataRequired(_l("Choisissez une offre."))]
    )


class AnswerForm(FlaskForm):
    """The customer's answer to an offer: the button pressed says which."""


class CancelForm(FlaskForm):
    """The cancellation: its effective date and the customer's reason."""

    effective_on = DateField(
        _l("Date d'effet"), validators=[DataRequired(_l("Indiquez la date d'effet."))]
    )
    reason = TextAreaField(
        _l("Motif de la résiliation"),
        validators=[DataRequired(_l("Indiquez le motif.")), Length(max=MAX_REASON)],
    )


class ConfirmForm(FlaskForm):
    """The written confirmation of the cancellation, by e-mail or letter."""

    channel = SelectField(
        _l("Envoyer la confirmation par"),
        choices=options(list(CHANNEL_LABELS.items())),
        validators=[DataRequired()],
    )
