"""After-sales forms: a note on a carrier step, a return's reason, a goodwill gesture."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class NoteForm(FlaskForm):
    """An investigation or a re-shipment, with what the candidate notes about it."""

    note = TextAreaField(_l("Note (facultative)"), validators=[Length(max=500)])


class ReturnForm(FlaskForm):
    """A withdrawal: the reason; the quantities per line come as `quantity-<line id>` fields."""

    reason = TextAreaField(
        _l("Motif indiqué par le client (facultatif)"), validators=[Length(max=500)]
    )


class GoodwillForm(FlaskForm):
    """A goodwill credit note on the order: amount incl. VAT and why."""

    amount = StringField(
        _l("Montant TTC (€)"), validators=[DataRequired(_l("Indiquez le montant."))]
    )
    reason = TextAreaField(
        _l("Motif du geste commercial"),
        validators=[DataRequired(_l("Indiquez le motif du geste commercial.")), Length(max=500)],
    )
