"""Claim forms: open a claim from the client file, change its status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm.claims.models import CATEGORIES
from crm.web.forms import options

STATUS_LABELS = {
    "open": _l("Ouverte"),
    "in_progress": _l("En cours de traitement"),
    "resolved": _l("Résolue"),
    "closed": _l("Clôturée"),
    "rejected": _l("Rejetée"),
}
EVENT_LABELS = {
    "start": _l("Prendre en charge"),
    "resolve": _l("Marquer résolue"),
    "close": _l("Clôturer"),
    "reject": _l("Rejeter"),
    "reopen": _l("Rouvrir"),
}


class ClaimForm(FlaskForm):
    """A new claim (order choices set by the view from the client's orders)."""

    category = SelectField(
        _l("Catégorie"),
        choices=options([("", "—")] + list(CATEGORIES.items())),
        validators=[DataRequired(_l("Choisissez une catégorie."))],
    )
    order_id = SelectField(_l("Commande concernée"), validators=[Optional()])
    description = TextAreaField(
        _l("Description"),
        validators=[DataRequired(_l("Décrivez la réclamation.")), Length(max=4000)],
    )


class ClaimStatusForm(FlaskForm):
    """A status change with an optional resolution text."""

    resolution = TextAreaField(_l("Résolution / commentaire"), validators=[Length(max=4000)])
