"""The answer to refused input: 422 naming each field, JSON on the API, a page elsewhere."""

from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import UnprocessableEntity

from crm.i18n import _


class RefusedInput(UnprocessableEntity):
    """Input refused at the boundary; `fields` maps each bad field to what is wrong."""

    def __init__(self, fields: dict[str, str]):
        super().__init__()
        self.fields = fields


def refused_input_response(error: RefusedInput):
    """422: the API's validation error shape, or the error page listing the fields."""
    if request.path.startswith("/api/"):
        from crm.web.api import error_response

        return error_response(422, "validation_failed", _("Données invalides."), error.fields)
    details = "; ".join(f"{name} : {problem}" for name, problem in error.fields.items())
    return (
        render_template(
            "errors/error.html",
            code=422,
            title=_("Saisie refusée"),
            message=_("Rien n'a été enregistré. %(details)s", details=details),
        ),
        422,
    )
