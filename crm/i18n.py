"""Translating person-facing messages produced in Python, in the screen's language.

Services raise French messages; inside a request they come out in the language chosen for the
screens (`select_locale`), elsewhere (CLI, tests without a request, workers) as the French source
text unless a language is chosen with `rendered_in` (the CLI's --lang). Text that must stay
French wherever it goes (action payloads, xAPI) is kept in source form, marked with `N_` for
extraction, and translated only where it is shown, with `translate`. Text kept for later (a
pack's problems, cached by the library) is lazy (`lazy`, `lazy_plural`): worded when shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import has_request_context
from flask_babel import LazyString, force_locale, get_locale, get_translations
from flask_babel import gettext as _babel_gettext
from jinja2 import pass_context
from markupsafe import Markup

#: The language the screens are written in: no catalog, its own plural rule.
SOURCE_LANGUAGE = "fr"

#: A language chosen outside a request (`rendered_in`): the CLI's --lang, for instance.
_CHOSEN: ContextVar[str | None] = ContextVar("plateau_chosen_language", default=None)


def _selected() -> bool:
    """Whether a language other than the source may apply: a request's, or one chosen outside."""
    return has_request_context() or _CHOSEN.get() is not None


@contextmanager
def rendered_in(language: str) -> Iterator[None]:
    """Render messages in `language` outside a request (CLI, logs); needs an app context.

    Without it they come out in French, the source; inside a request the request's language
    applies anyway.
    """
    token = _CHOSEN.set(language)
    try:
        with force_locale(language):
            yield
    finally:
        _CHOSEN.reset(token)


def translate(text: str, **variables) -> str:
    """`text` (French source) in the screen's language, `%(name)s` placeholders filled."""
    if _selected():
        return _babel_gettext(text, **variables)
    return text % variables if variables else text


def _plural_form(singular: str, plural: str, n: int) -> str:
    """The form for `n`, untranslated: French counts 0 and 1 as singular (gettext's fallback
    without a catalog, n == 1, would say « 0 critères »), other screens use their catalog."""
    locale = get_locale() if _selected() else None
    if locale is None or locale.language == SOURCE_LANGUAGE:
        return singular if n <= 1 else plural
    return get_translations().ungettext(singular, plural, n)


def translate_plural(singular: str, plural: str, n: int, /, **variables) -> str:
    """`singular` or `plural` (French sources) by `n`, in the screen's language: a real plural
    instead of « critère(s) ». `%(num)s` is `n`."""
    return _plural_form(singular, plural, n) % {"num": n, **variables}


@pass_context
def template_plural(context, singular: str, plural: str, n: int, /, **variables) -> str:
    """`ngettext` in templates: `translate_plural`'s rule, the text escaped as Jinja's own."""
    text = _plural_form(singular, plural, n)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % {"num": n, **variables}


def lazy(text: str, **variables) -> LazyString:
    """`translate` deferred until the text is shown: for module-level labels."""
    return LazyString(translate, text, **variables)


def lazy_plural(singular: str, plural: str, n: int, /, **variables) -> LazyString:
    """`translate_plural` deferred until the text is shown, in the language of that moment."""
    return LazyString(translate_plural, singular, plural, n, **variables)


def N_(text: str) -> str:
    """Mark French source text for the catalog without translating it (see `translate`)."""
    return text


#: The names the extractor knows (`pybabel extract … -k _l`).
_ = gettext = translate
ngettext = translate_plural
_l = lazy_gettext = lazy
