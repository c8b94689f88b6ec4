"""Trainer forms: open a shift."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length


class ShiftForm(FlaskForm):
    """Open a mock shift on a scenario for some candidates."""

    name = StringField(_l("Nom de la séance"), validators=[Length(max=120)])
    scenario = SelectField(_l("Scénario"), validators=[DataRequired(_l("Choisissez un scénario."))])
    candidates = SelectMultipleField(
        _l("Candidats"),
        coerce=int,
        validators=[DataRequired(_l("Choisissez au moins un candidat."))],
    )
    mode = SelectField(
        _l("Mode"),
        choices=[("scripted", _l("Clients scriptés")), ("live", _l("Jeu de rôle en direct"))],
    )
    exam_mode = BooleanField(_l("Mode examen"))
