"""The request boundary: what every request passes before a view reads it.

Bad input is refused here, once for every page and API operation, with a 4xx that names the
field: integers no column can hold, text no database can store (NUL, lone surrogates), JSON
nested past what the parser can follow, and bodies larger than the configured limits.
"""

from __future__ import annotations

from crm.boundary.integers import BoundedIntConverter
from crm.boundary.limits import refuse_oversized_body
from crm.boundary.refusals import RefusedInput, refused_input_response
from crm.boundary.request import BoundaryRequest, refuse_bad_text_in_request


def init_app(app) -> None:
    """Install the checks; call before any blueprint is registered and before CSRF protection.

    The `int` converter must be in the URL map before routes are added (each rule binds its
    converter when registered), and the body limit must run before anything reads the body
    (CSRF protection reads the form).
    """
    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = BoundaryRequest
    app.before_request(refuse_oversized_body)
    app.before_request(refuse_bad_text_in_request)
    app.register_error_handler(RefusedInput, refused_input_response)
