"""Bench forms: a pinned note and the agreement on a disputed criterion (the grid itself is one
form of per-criterion fields read by the view, CSRF from `EmptyForm`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.evaluation.grades import GRADES
from crm.evaluation.marking.services import COMMENT_MAX, NOTE_MAX
from crm.i18n import lazy


class NoteForm(FlaskForm):
    """A note pinned on one action."""

    body = TextAreaField(
        _l("Note"),
        validators=[DataRequired(_l("Écrivez la note.")), Length(max=NOTE_MAX)],
    )


class AgreeForm(FlaskForm):
    """The grade both evaluators settle on for a disputed criterion."""

    criterion = HiddenField(validators=[DataRequired()])
    grade = SelectField(
        _l("Note convenue"),
        choices=[(code, lazy(label)) for code, label in GRADES.items()],
        validators=[DataRequired(_l("Choisissez une note."))],
    )
    comment = TextAreaField(_l("Commentaire commun"), validators=[Length(max=COMMENT_MAX)])
