"""The room's form: inject an event into a candidate's attempt."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

#: The event choice meaning "a free event, described below".
FREE = ""


class InjectForm(FlaskForm):
    """A scripted event of the scenario, or a free call/email/SMS/chat, for one candidate."""

    attempt = SelectField(
        _l("Candidat"), coerce=int, validators=[DataRequired(_l("Choisissez un candidat."))]
    )
    event = SelectField(_l("Événement du scénario"))
    kind = SelectField(
        _l("Type (événement libre)"),
        choices=[
            ("call", _l("Appel entrant")),
            ("email", _l("E-mail")),
            ("sms", _l("SMS")),
            ("chat", _l("Chat")),
        ],
    )
    party = StringField(_l("Numéro ou adresse du client"), validators=[Length(max=160)])
    subject = StringField(_l("Objet (e-mail)"), validators=[Length(max=200)])
    body = TextAreaField(
        _l("Texte (premier mot du client pour un appel)"), validators=[Length(max=20000)]
    )
