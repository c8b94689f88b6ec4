"""Payment form: method, amount, card fields (never re-rendered with their values), reference."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from crm.validation import Fields, FormValues

METHOD_CHOICES = [
    SelectChoice("card", _l("Carte bancaire")),
    SelectChoice("transfer", _l("Virement")),
    SelectChoice("cheque", _l("Chèque")),
    SelectChoice("direct_debit", _l("Prélèvement")),
]

#: The browser must not offer to remember a card number typed during a training call.
_NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}


class PaymentForm(FlaskForm):
    """Record a payment on an order or an invoice."""

    method = SelectField(_l("Mode de règlement"), choices=METHOD_CHOICES, id="pay-method")
    amount = StringField(
        _l("Montant (€)"),
        id="pay-amount",
        validators=[DataRequired(_l("Indiquez le montant."))],
        render_kw={"inputmode": "decimal"},
    )
    card_number = StringField(
        _l("Numéro de carte"),
        id="card-number",
        validators=[Length(max=40)],
        render_kw={**_NO_AUTOFILL, "inputmode": "numeric"},
    )
    card_expiry = StringField(
        _l("Date d'expiration (MM/AA)"),
        id="card-expiry",
        validators=[Length(max=10)],
        render_kw={**_NO_AUTOFILL, "placeholder": "MM/AA"},
    )
    # PasswordField never renders its value back.
    card_cvv = PasswordField(
        _l("Cryptogramme (3 chiffres au dos)"),
        id="card-cvv",
        validators=[Length(max=8)],
        render_kw={**_NO_AUTOFILL, "inputmode": "numeric"},
    )
    reference = StringField(
        _l("Référence (n° de chèque, de virement, de mandat)"),
        id="pay-reference",
        validators=[Length(max=64)],
    )

    def validate_amount(self, field):
        """A positive amount with at most two decimals, « 12,50 » accepted."""
        fields = Fields(FormValues(amount=field.data))
        self.amount_value = fields.money("amount")
        if fields.errors:
            raise ValidationError(fields.errors["amount"])

    def forget_card(self) -> None:
        """Drop what was typed for the card number and CVV so the page never shows it again."""
        for field in (self.card_number, self.card_cvv):
            field.data = ""
            field.raw_data = []
