"""The campaign set-up form of a shift (the service checks every value: crm.campaigns.setup)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField

from crm.validation import FormValues


class CampaignForm(FlaskForm):
    """Target filters, codes, call guide, calling rules and goal of a shift's campaign."""

    name = StringField(_l("Nom de la campagne"))
    base = SelectField(_l("Campagne du scénario redéfinie"), validate_choice=False)
    kind = SelectField(
        _l("Type de fiche"),
        validate_choice=False,
        choices=[
            ("", _l("clients et prospects")),
            ("client", _l("clients")),
            ("prospect", _l("prospects")),
        ],
    )
    segment = SelectField(
        _l("Segment"),
        validate_choice=False,
        choices=[
            ("", _l("professionnels et particuliers")),
            ("b2b", _l("professionnels (B2B)")),
            ("b2c", _l("particuliers (B2C)")),
        ],
    )
    departments = StringField(_l("Départements (séparés par des virgules)"))
    city = StringField(_l("Ville contient"))
    no_order_days = StringField(_l("Sans commande depuis (jours)"))
    ordered_within_days = StringField(_l("Commande dans les derniers (jours)"))
    not_contacted_days = StringField(_l("Pas contacté depuis (jours)"))
    exclude_opposed = BooleanField(_l("Exclure les fiches opposées au démarchage"), default=True)
    qualification_codes = SelectMultipleField(_l("Codes de qualification"), validate_choice=False)
    call_guide = TextAreaField(_l("Guide d'entretien (une étape par ligne)"))
    windows = StringField(_l("Plages d'appel (HH:MM-HH:MM, séparées par des virgules)"))
    max_attempts = StringField(_l("Tentatives au plus par numéro"))
    min_spacing_minutes = StringField(_l("Délai minimum entre deux tentatives (minutes)"))
    after_call_work_seconds = StringField(_l("Post-appel maximum (secondes)"))
    goal_codes = SelectMultipleField(_l("Codes comptés comme succès"), validate_choice=False)
    goal_count = StringField(_l("Objectif : succès par candidat"))
    goal_rate = StringField(_l("Objectif : taux de conversion (%)"))

    def to_raw(self) -> FormValues:
        """The values as the service reads them (lists split; a blank number is not given, as
        a form's are, where a JSON body's "" is refused)."""
        raw = {
            name: getattr(self, name).data
            for name in (
                "name",
                "base",
                "kind",
                "segment",
                "city",
                "no_order_days",
                "ordered_within_days",
                "not_contacted_days",
                "max_attempts",
                "min_spacing_minutes",
                "after_call_work_seconds",
                "goal_count",
                "goal_rate",
            )
        }
        raw["exclude_opposed"] = bool(self.exclude_opposed.data)
        raw["departments"] = [d for d in (self.departments.data or "").split(",") if d.strip()]
        raw["windows"] = [w for w in (self.windows.data or "").split(",") if w.strip()]
        raw["call_guide"] = (self.call_guide.data or "").splitlines()
        raw["qualification_codes"] = list(self.qualification_codes.data or [])
        raw["goal_codes"] = list(self.goal_codes.data or [])
        return FormValues(raw)

    def fill(self, values: dict) -> None:
        """Show stored (or default) values."""
        for name in (
            "name",
            "base",
            "kind",
            "segment",
            "city",
            "no_order_days",
            "ordered_within_days",
            "not_contacted_days",
            "max_attempts",
            "min_spacing_minutes",
            "after_call_work_seconds",
            "goal_count",
            "goal_rate",
        ):
            value = values.get(name)
            getattr(self, name).data = "" if value is None else value
        self.exclude_opposed.data = bool(values.get("exclude_opposed", True))
        self.departments.data = ", ".join(values.get("departments") or [])
        self.windows.data = ", ".join(values.get("windows") or [])
        self.call_guide.data = "\n".join(values.get("call_guide") or [])
        self.qualification_codes.data = list(values.get("qualification_codes") or [])
        self.goal_codes.data = list(values.get("goal_codes") or [])
