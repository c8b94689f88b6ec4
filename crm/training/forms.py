"""Trainer forms: open a shift, and prepare it before it starts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from crm.training.models import DEFAULT_STANDARD


class ShiftForm(FlaskForm):
    """Open a mock shift on a scenario for some candidates."""

    name = StringField(_l("Nom de la séance"), validators=[Length(max=120)])
    scenario = SelectField(_l("Scénario"), validators=[DataRequired(_l("Choisissez un scénario."))])
    standard = SelectField(_l("Référentiel d'évaluation"), default=DEFAULT_STANDARD)
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


class ShiftSettingsForm(FlaskForm):
    """Rename a shift and choose its standard."""

    name = StringField(
        _l("Nom de la séance"),
        validators=[DataRequired(_l("Donnez un nom à la séance.")), Length(max=120)],
    )
    standard = SelectField(_l("Référentiel d'évaluation"), default=DEFAULT_STANDARD)


class AddCandidateForm(FlaskForm):
    """Add a candidate to a shift that has not ended."""

    candidate = SelectField(
        _l("Candidat à ajouter"),
        coerce=int,
        validators=[DataRequired(_l("Choisissez un candidat."))],
    )


class StaffForm(FlaskForm):
    """Add a trainer or an evaluator to the people who run a shift."""

    user = SelectField(
        _l("Formateur ou évaluateur"),
        coerce=int,
        validators=[DataRequired(_l("Choisissez une personne."))],
    )


class PackUploadForm(FlaskForm):
    """Add a scenario pack (a YAML file) to the library."""

    file = FileField(
        _l("Fichier du pack (.yaml)"), validators=[FileRequired(_l("Choisissez un fichier."))]
    )
    replace = BooleanField(_l("Remplacer le pack de même nom"))
