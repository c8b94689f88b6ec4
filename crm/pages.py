"""What every HTML page shares: Jinja helpers (money, dates, roles) and French error pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import NotFound as HTTPNotFound

from crm import channels
from crm.errors import NotFound as DomainNotFound
from crm.phones import display_phone

PARIS = ZoneInfo("Europe/Paris")

ROLE_LABELS = {
    "candidate": _l("candidat"),
    "trainer": _l("formateur"),
    "evaluator": _l("évaluateur"),
    # Actors of the action log that are not users: the simulated customer and the engine.
    "customer": _l("client"),
    "system": _l("système"),
}

ERRORS = {
    403: (_l("Accès refusé"), _l("Votre rôle ne permet pas d'ouvrir cette page.")),
    404: (
        _l("Page introuvable"),
        _l("Cette page n'existe pas ou ne fait pas partie de votre tentative."),
    ),
    405: (_l("Méthode non autorisée"), _l("Cette action n'est pas possible ainsi.")),
    400: (
        _l("Requête invalide"),
        _l("La requête n'a pas pu être comprise (formulaire expiré ?). Rechargez la page."),
    ),
    503: (
        _l("Serveur occupé"),
        _l("Le serveur est très sollicité ; rien n'a été enregistré. Réessayez dans un instant."),
    ),
    413: (
        _l("Envoi trop volumineux"),
        _l("Ce que vous avez envoyé dépasse la taille permise ; rien n'a été enregistré."),
    ),
    500: (
        _l("Erreur interne"),
        _l("Une erreur inattendue est survenue ; rien n'a été enregistré."),
    ),
}


def format_money(value) -> str:
    """12.5 → « 12,50 € » (French) or « €12.50 » per locale."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format="#,##0.00") + " €"


def money_input(value) -> str:
    """An amount as a form field shows it for editing: « 342,82 » (French), « 342.82 » (English),
    no currency sign nor thousands separator; the forms read both (`crm.validation`)."""
    return format_decimal(Decimal(value), format="0.00")


def scenario_name(slug: str | None) -> str:
    """A shift's scenario by its title, not its slug (« bureau-direct »)."""
    from crm.training.library import scenario_title

    return scenario_title(slug) if slug else ""


def local_datetime(value: datetime | None, fmt: str = "short") -> str:
    """A UTC datetime shown in Paris time."""
    if value is None:
        return ""
    return format_datetime(value.astimezone(PARIS), fmt)


def local_date(value: date | None, fmt: str = "short") -> str:
    """A date in the locale's format."""
    return format_date(value, fmt) if value else ""


def favicon():
    """The browser's default icon address: the icon the pages name."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


def init_app(app) -> None:
    """Register Jinja helpers, error pages and Post/Redirect/Get for forms (`crm.prg`)."""
    from crm import prg

    prg.init_app(app)
    # Pages name the icon (base.html); a PDF, a CSV or a JSON answer opened in the browser
    # does not, and the browser then asks for /favicon.ico.
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.jinja_env.globals.update(
        format_money=format_money,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        url_endpoints=lambda: current_app.view_functions.keys(),
    )
    app.jinja_env.filters.update(
        money=format_money,
        dt=local_datetime,
        d=local_date,
        phone=display_phone,
        scenario=scenario_name,
        channel=channels.label_of,
        channel_word=channels.word_of,
    )

    def _page(error):
        code = getattr(error, "code", 500) or 500
        if request.path.startswith("/api/"):
            from crm.web.api import api_http_error

            return api_http_error(error)
        title, message = ERRORS.get(code, ERRORS[500])
        return render_template("errors/error.html", code=code, title=title, message=message), code

    for code in ERRORS:
        app.register_error_handler(code, _page)

    def _not_found(error: DomainNotFound):
        # A row of another attempt, or no attempt running (crm.web.context): the 404 page.
        return _page(HTTPNotFound())

    app.register_error_handler(DomainNotFound, _not_found)
