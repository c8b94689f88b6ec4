"""Client forms: search, prospect creation, file edit, identity verification.

Formats (email, phones, postcode) are checked by `clients.cleaning`, the same rules as the API;
the views put its French messages beside the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm.web.forms import options

TITLE_CHOICES = options([("", "—"), ("M.", "M."), ("Mme", "Mme")])


class SearchForm(FlaskForm):
    """The search box (GET, nothing changes: no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nom, n° client, e-mail ou téléphone"), validators=[Length(max=200)])


class _IdentityFields(FlaskForm):
    """Who the client is and how to reach them."""

    title = SelectField(_l("Civilité"), choices=TITLE_CHOICES, validators=[Optional()])
    first_name = StringField(_l("Prénom"), validators=[Length(max=80)])
    last_name = StringField(
        _l("Nom"), validators=[DataRequired(_l("Le nom est obligatoire.")), Length(max=80)]
    )
    company_name = StringField(_l("Raison sociale"), validators=[Length(max=160)])
    email = StringField(_l("E-mail"), validators=[Length(max=160)])
    phones = TextAreaField(_l("Téléphones (un par ligne)"), validators=[Length(max=400)])
    street = StringField(_l("Adresse"), validators=[Length(max=200)])
    postcode = StringField(_l("Code postal"), validators=[Length(max=10)])
    city = StringField(_l("Ville"), validators=[Length(max=100)])
    consent_email = BooleanField(_l("Accepte les e-mails commerciaux"))
    consent_sms = BooleanField(_l("Accepte les SMS commerciaux"))
    consent_phone = BooleanField(_l("Accepte le démarchage téléphonique"))

    def values(self) -> dict:
        """The typed values, keyed like the API's fields."""
        skip = {"csrf_token", "segment"}
        return {name: f.data for name, f in self._fields.items() if name not in skip}


class ProspectForm(_IdentityFields):
    """A new prospect file."""

    segment = SelectField(
        _l("Segment"),
        choices=options([("b2c", _l("Particulier (B2C)")), ("b2b", _l("Entreprise (B2B)"))]),
    )

    def values(self) -> dict:
        """The typed values including the segment."""
        return {**super().values(), "segment": self.segment.data}


class ClientEditForm(_IdentityFields):
    """Edit a client file."""

    do_not_call = BooleanField(_l("Opposition au démarchage (ne pas appeler)"))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class VerifyIdentityForm(FlaskForm):
    """What the caller gives to prove who they are (two elements at least)."""

    client_number = StringField(_l("N° client"), validators=[Length(max=200)])
    last_name = StringField(_l("Nom"), validators=[Length(max=200)])
    postcode = StringField(_l("Code postal"), validators=[Length(max=200)])
    birth_date = StringField(_l("Date de naissance (JJ/MM/AAAA)"), validators=[Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Length(max=200)])
    phone = StringField(_l("Téléphone"), validators=[Length(max=200)])

    def values(self) -> dict:
        """The non-empty elements given."""
        return {
            name: f.data.strip()
            for name, f in self._fields.items()
            if name != "csrf_token" and isinstance(f.data, str) and f.data.strip()
        }
