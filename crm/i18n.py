"""Translating person-facing messages produced in Python, in the screen's language.

Services raise French messages; inside a request they come out in the language chosen for the
screens (`select_locale`), elsewhere (CLI, tests without a request, workers) as the French source
text. Text that must stay French wherever it goes (action payloads, xAPI) is kept in source form,
marked with `N_` for extraction, and translated only where it is shown, with `translate`.
"""

from __future__ import annotations

from flask import has_request_context
from flask_babel import LazyString
from flask_babel import gettext as _babel_gettext
from flask_babel import ngettext as _babel_ngettext


def translate(text: str, **variables) -> str:
    """`text` (French source) in the screen's language, `%(name)s` placeholders filled."""
    if has_request_context():
        return _babel_gettext(text, **variables)
    return text % variables if variables else text


def translate_plural(singular: str, plural: str, n: int, /, **variables) -> str:
    """`singular` or `plural` (French sources) by `n`, in the screen's language: a real plural
    instead of « critère(s) ». `%(num)s` is `n`; French counts 0 and 1 as singular."""
    if has_request_context():
        return _babel_ngettext(singular, plural, n, **variables)
    text = singular if n <= 1 else plural
    return text % {"num": n, **variables}


def lazy(text: str, **variables) -> LazyString:
    """`translate` deferred until the text is shown: for module-level labels."""
    return LazyString(translate, text, **variables)


def N_(text: str) -> str:
    """Mark French source text for the catalog without translating it (see `translate`)."""
    return text


#: The names the extractor knows (`pybabel extract … -k _l`).
_ = gettext = translate
ngettext = translate_plural
_l = lazy_gettext = lazy
