"""The English catalog: complete, compiled, in step with the sources, and used by the screens.

To update it after changing a screen string, see "Translations" in README.md.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import flask_babel
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "crm" / "translations"
BABEL_CFG = TRANSLATIONS / "babel.cfg"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"

PLACEHOLDER = re.compile(r"%\((\w+)\)")


def read_catalog(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def msgids(catalog) -> set:
    """The message ids of a catalog (plural messages as (singular, plural) tuples)."""
    return {message.id for message in catalog if message.id}


def as_tuple(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


@pytest.fixture(scope="module")
def catalog():
    return read_catalog(PO, "en")


def test_every_message_is_translated_and_keeps_its_placeholders(catalog):
    assert not catalog.fuzzy, f"{PO.name}: the header is marked fuzzy"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids, strings = as_tuple(message.id), as_tuple(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            found = set(PLACEHOLDER.findall(text))
            if found != expected:
                problems.append(f"placeholders {sorted(found)} != {sorted(expected)}: {ids[0]!r}")
    for message, errors in catalog.check():
        problems.extend(f"{error}: {as_tuple(message.id)[0]!r}" for error in errors)
    assert not problems, "\n".join(problems)


def compiled_messages(mo: bytes) -> dict:
    """(context, id) → translation of a compiled catalog, header left out.

    Compared by content rather than bytes: each Babel release writes its own header (2.19's
    differs from 2.18's), and that says nothing about whether the translations are current.
    """
    return {
        (message.context, as_tuple(message.id)): as_tuple(message.string)
        for message in read_mo(BytesIO(mo))
        if message.id
    }


def compile_catalog(catalog) -> bytes:
    """The .mo bytes `pybabel compile` would write for `catalog`."""
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


def test_compiled_catalog_is_up_to_date(catalog):
    assert compiled_messages(MO.read_bytes()) == compiled_messages(compile_catalog(catalog)), (
        f"{MO.relative_to(ROOT)} is stale: run `pybabel compile -d crm/translations`"
    )


def test_catalogs_compare_by_messages_not_header(catalog):
    """Another header (another Babel) is the same catalog; one changed translation is not."""
    reference = compiled_messages(compile_catalog(catalog))
    other_header = read_catalog(PO, "en")
    other_header.project, other_header.version = "Another project", "9.9"
    other_header.msgid_bugs_address = "someone@example.org"
    rewritten = compile_catalog(other_header)
    assert rewritten != compile_catalog(catalog)
    assert compiled_messages(rewritten) == reference
    changed = read_catalog(PO, "en")
    first = next(message for message in changed if message.id and isinstance(message.id, str))
    first.string = first.string + " (changed)"
    assert compiled_messages(compile_catalog(changed)) != reference


def test_catalog_matches_the_sources(catalog, tmp_path):
    fresh_pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(BABEL_CFG), "-k", "_l", "-o", str(fresh_pot)]
        + [str(ROOT)]
    )
    extracted = msgids(read_catalog(fresh_pot))
    assert extracted, "nothing extracted: check crm/translations/babel.cfg"
    for name, ids in (("messages.pot", msgids(read_catalog(POT))), (PO.name, msgids(catalog))):
        missing = sorted(map(str, extracted - ids))
        obsolete = sorted(map(str, ids - extracted))
        assert not missing and not obsolete, (
            f"{name} is out of step with the sources (see README.md, Translations).\n"
            f"Missing ({len(missing)}):\n  " + "\n  ".join(missing) + "\n"
            f"Obsolete ({len(obsolete)}):\n  " + "\n  ".join(obsolete)
        )


def switch_to_english(client, csrf_from, page: str, referrer: str) -> None:
    """POST /lang/en, then forget Flask-Babel's cached locale.

    The `app` fixture keeps one application context open for the whole test and the test client's
    requests reuse it, so the locale Flask-Babel caches on `g` would outlive the request that chose
    it (a served request always gets a fresh context).
    """
    response = client.post(
        "/lang/en", data={"csrf_token": csrf_from(page)}, headers={"Referer": referrer}
    )
    assert response.status_code == 302
    flask_babel.refresh()


def test_login_page_in_english_after_switching(client, csrf_from):
    page = client.get("/login").get_data(as_text=True)
    assert "Connexion à Plateau" in page
    switch_to_english(client, csrf_from, page, "/login")
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign in to Plateau" in page
    assert "Username" in page and "Password" in page
    assert "Connexion" not in page and "Identifiant" not in page


def test_trainer_sees_shifts_in_english(client, people, login, csrf_from):
    login("formateur")
    page = client.get("/shifts/").get_data(as_text=True)
    assert "Séances de mise en situation" in page
    switch_to_english(client, csrf_from, page, "/shifts/")
    page = client.get("/shifts/").get_data(as_text=True)
    assert "Shifts" in page and "Mock shifts" in page
    assert "Open a shift" in page and "Shift name" in page and "trainer" in page
    assert "Séance" not in page and "Se déconnecter" not in page


def test_service_error_shown_in_english(client, attempt, login, csrf_from):
    """A refusal raised by a service follows the screen's language, not only the templates."""
    login("candidat1")
    too_long = "/catalog?q=" + "x" * 101
    response = client.get(too_long)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Recherche trop longue (100 caractères au plus)." in page
    switch_to_english(client, csrf_from, page, "/catalog")
    page = client.get(too_long).get_data(as_text=True)
    assert "Search too long (100 characters at most)." in page
    assert "Recherche trop longue" not in page
