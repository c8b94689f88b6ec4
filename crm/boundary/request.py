"""The request class and check that refuse unstorable text and unreadable JSON for every view."""

from __future__ import annotations

from flask import Request, request
from werkzeug.exceptions import BadRequest

from crm.boundary.refusals import RefusedInput
from crm.boundary.values import json_problems, text_field_problems

#: Bodies whose fields reach `request.form` (and so the views and forms).
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class BoundaryRequest(Request):
    """Flask's request whose JSON is refused when it cannot be stored or followed.

    Every reader of a JSON body (the API's `json_body`, Flask-WTF on a JSON post) goes through
    `get_json`, so the check is made once for all of them.
    """

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        """The parsed JSON; RefusedInput (422) naming each unstorable value; nesting too deep
        for the parser is malformed JSON (None when `silent`, else 400)."""
        try:
            data = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            raise BadRequest("JSON nested too deeply.") from None
        if data is not None:
            problems = json_problems(data)
            if problems:
                raise RefusedInput(problems)
        return data


def refuse_bad_text_in_request() -> None:
    """Before every view: path segments, query strings and form fields with NUL or lone
    surrogates are refused (422) before any view, form or query sees them."""
    pairs = list((request.view_args or {}).items())
    pairs += list(request.args.items(multi=True))
    if request.mimetype in FORM_TYPES:
        pairs += list(request.form.items(multi=True))
    problems = text_field_problems(pairs)
    if problems:
        raise RefusedInput(problems)
