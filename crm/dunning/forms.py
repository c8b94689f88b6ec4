"""Dunning forms: promise to pay, payment plan with editable installments, reminder button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from crm.dunning.services import MAX_INSTALLMENTS, MIN_INSTALLMENTS
from crm.payments.forms import METHOD_CHOICES
from crm.validation import Fields, FormValues


def _parsed(kind: str, field) -> object:
    """Parse with the shared French rules (dates AAAA-MM-JJ, « 12,50 »), or ValidationError."""
    fields = Fields(FormValues(value=field.data))
    value = fields.day("value") if kind == "day" else fields.money("value")
    if fields.errors:
        raise ValidationError(fields.errors["value"])
    return value


class PromiseForm(FlaskForm):
    """A client's promise to pay an invoice by a date."""

    amount = StringField(
        _l("Montant promis (€)"),
        id="promise-amount",
        validators=[DataRequired(_l("Indiquez le montant."))],
    )
    due_date = StringField(
        _l("Date de paiement promise"),
        id="promise-date",
        validators=[DataRequired(_l("Indiquez la date."))],
        render_kw={"type": "date"},
    )
    method = SelectField(_l("Mode de règlement prévu"), choices=METHOD_CHOICES, id="promise-method")

    def validate_amount(self, field):
        """A positive amount, two decimals at most."""
        self.amount_value = _parsed("money", field)

    def validate_due_date(self, field):
        """A date."""
        self.due_date_value = _parsed("day", field)


class InstallmentForm(Form):
    """One editable installment row (no CSRF of its own: the plan form carries it)."""

    due_date = StringField(_l("Échéance"), render_kw={"type": "date"})
    amount = StringField(_l("Montant (€)"), render_kw={"inputmode": "decimal"})


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PlanForm(FlaskForm):
    """Choose invoices, split what they owe into installments, adjust, grant."""

    invoice_ids = MultiCheckboxField(_l("Factures concernées"), coerce=int, id="plan-invoices")
    count = IntegerField(
        _l("Nombre d'échéances"),
        id="plan-count",
        default=3,
        validators=[
            InputRequired(_l("Indiquez le nombre d'échéances.")),
            NumberRange(
                MIN_INSTALLMENTS,
                MAX_INSTALLMENTS,
                _l("De %(min)s à %(max)s échéances.", min=MIN_INSTALLMENTS, max=MAX_INSTALLMENTS),
            ),
        ],
    )
    first_date = StringField(
        _l("Première échéance"), id="plan-first-date", render_kw={"type": "date"}
    )
    installments = FieldList(FormField(InstallmentForm), max_entries=MAX_INSTALLMENTS)
    split = SubmitField(_l("Répartir"), id="plan-split")
    submit = SubmitField(_l("Accorder l'échéancier"), id="plan-submit")

    def validate_first_date(self, field):
        """A date when given (the split helper needs it)."""
        self.first_date_value = _parsed("day", field) if field.data else None


class ReminderForm(FlaskForm):
    """The button sending the next reminder; carries the level it was shown for."""

    level = HiddenField()
