"""Real plurals on every screen: French counts 0 and 1 as singular, English uses its catalog."""

from __future__ import annotations

from crm.i18n import ngettext

SINGULAR, PLURAL = "%(num)s critère sans note", "%(num)s critères sans note"
TEMPLATE = '{{ ngettext("%(num)s critère sans note", "%(num)s critères sans note", n) }}'


def _in_request(app, language: str, make):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        from flask import session

        session["lang"] = language
        from flask_babel import refresh

        refresh()
        return make()


def test_french_says_zero_and_one_in_the_singular(app):
    said = _in_request(app, "fr", lambda: [ngettext(SINGULAR, PLURAL, n) for n in (0, 1, 2)])
    assert said == ["0 critère sans note", "1 critère sans note", "2 critères sans note"]


def test_templates_follow_the_same_rule_and_escape_their_values(app):
    template = app.jinja_env.from_string(TEMPLATE)
    said = _in_request(app, "fr", lambda: [template.render(n=n) for n in (0, 1, 2)])
    assert said == ["0 critère sans note", "1 critère sans note", "2 critères sans note"]
    escaped = app.jinja_env.from_string(
        '{{ ngettext("%(num)s « %(who)s »", "%(num)s", 1, who=w) }}'
    )
    html = _in_request(app, "fr", lambda: escaped.render(w="<b>x</b>"))
    assert html == "1 « &lt;b&gt;x&lt;/b&gt; »"


def test_english_screens_use_the_catalog(app):
    template = app.jinja_env.from_string(TEMPLATE)
    said = _in_request(app, "en", lambda: [template.render(n=n) for n in (0, 1, 2)])
    assert said[1].startswith("1 ") and said[0].startswith("0 ") and said[2].startswith("2 ")
    assert "critère" not in " ".join(said)
