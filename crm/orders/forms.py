"""Order-entry forms: open an order, add a line, answer an offer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from crm.boundary.forms import DbIntegerField


class NewOrderForm(FlaskForm):
    """Open a draft order for a client (a button on the client file)."""

    client_id = DbIntegerField(_l("Client"), validators=[InputRequired(_l("Client manquant."))])


class LineForm(FlaskForm):
    """A product by SKU and a quantity in sale units (the service checks it against the unit)."""

    sku = StringField(
        _l("Référence (SKU)"),
        validators=[DataRequired(_l("Saisissez ou choisissez une référence.")), Length(max=32)],
        id="line-sku",
    )
    quantity = StringField(
        _l("Quantité en unités de vente"),
        validators=[DataRequired(_l("Saisissez une quantité.")), Length(max=8)],
        id="line-quantity",
    )
    backorder = BooleanField(_l("Commander en reliquat si le stock manque"), id="line-backorder")
    replaces_product_id = HiddenField(validators=[Optional()])
    additional = BooleanField(_l("Vente additionnelle"), id="line-additional")


class OfferForm(FlaskForm):
    """A substitute or an additional product proposed to the client, with the client's answer."""

    kind = HiddenField(validators=[AnyOf(["substitute", "additional"])])
    product_id = DbIntegerField(validators=[InputRequired()])
    for_product_id = DbIntegerField(validators=[Optional()])
    quantity = StringField(_l("Quantité"), validators=[Length(max=8)])
    answer = StringField(validators=[AnyOf(["accepted", "refused"])])
