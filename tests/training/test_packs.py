"""Trainers' own packs: added whole or refused with every problem, exported, previewed, removed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from crm.config import ROOT
from crm.errors import Conflict, DomainError, NotFound, ValidationFailed
from crm.training.library import list_scenarios, load_scenario, pack_dir
from crm.training.packs import (
    PackRefused,
    export_pack,
    install_pack,
    pack_preview,
    remove_pack,
)
from crm.training.services import create_shift
from crm.yaml_text import load_yaml
from tests.test_translations import switch_to_english

SHIPPED = ROOT / "seed_data" / "scenarios" / "bureau-direct.yaml"


def a_pack(slug: str = "atelier-test", title: str = "Atelier de test") -> bytes:
    """A valid pack of its own: the shipped one under another slug and title."""
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("slug: bureau-direct\n", f"slug: {slug}\n", 1)
    text = text.replace(
        "title: Bureau Direct — service client et ventes à distance", f"title: {title}", 1
    )
    return text.encode("utf-8")


def broken_pack() -> bytes:
    """A pack whose timeline rings from a client that orders a product nobody sells."""
    data = load_yaml(a_pack("atelier-casse"))
    data["clients"][0]["orders"][0]["lines"][0]["sku"] = "NOPE-000"
    data["title"] = ""
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def folder_files() -> list[str]:
    folder = pack_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_valid_pack_joins_the_library_and_opens_a_shift(app, people):
    installed = install_pack("mon-pack.yaml", a_pack())
    assert installed.info.slug == "atelier-test" and installed.info.source == "uploaded"
    assert not installed.replaced and len(installed.sha256) == 64
    assert folder_files() == ["atelier-test.yaml"]
    listed = {info.slug: info.source for info in list_scenarios()}
    shipped = {p.stem: "shipped" for p in (ROOT / "seed_data" / "scenarios").glob("*.yaml")}
    assert {
        "bureau-direct",
        "examen-linea-maison",
        "journee-anglais-provence",
        "recouvrement-nordal",
        "sav-domelec",
        "enquete-ostral-bureaux",
    } <= set(shipped)
    assert listed == {**shipped, "atelier-test": "uploaded"}
    assert load_scenario("atelier-test")["title"] == "Atelier de test"
    shift = create_shift("atelier-test", [people["cand1"]], name="Essai")
    assert shift.scenario == "atelier-test" and len(shift.attempts) == 1


def test_an_invalid_pack_is_refused_whole_with_every_problem_located(app):
    with pytest.raises(PackRefused) as refused:
        install_pack("casse.yaml", broken_pack())
    problems = refused.value.details["problems"]
    assert any(p.startswith("casse.yaml: title: ") for p in problems), problems
    assert any(p.startswith("casse.yaml: clients[0].orders[0].lines[0].sku: ") for p in problems)
    assert refused.value.fields["file"] == f"Le pack n'est pas valide : {len(problems)} problèmes."
    # Nothing half-loaded: no pack, no staging folder left behind.
    assert folder_files() == []
    assert "atelier-casse" not in [info.slug for info in list_scenarios()]


@pytest.mark.parametrize(
    ("name", "content", "field", "words"),
    [
        ("vide.yaml", b"", "file", "vide"),
        ("pack.txt", b"slug: x\n", "file", ".yaml"),
        ("gros.yaml", b"#" * (4 * 1024 * 1024 + 1), "file", "volumineux"),
    ],
)
def test_files_that_are_not_packs_are_refused_by_field(app, name, content, field, words):
    with pytest.raises(ValidationFailed) as refused:
        install_pack(name, content)
    assert words in refused.value.fields[field]
    assert folder_files() == []


def test_unreadable_yaml_and_non_utf8_are_problems_of_the_file(app):
    with pytest.raises(PackRefused) as refused:
        install_pack("bad.yaml", b"slug: [unclosed\n")
    assert refused.value.details["problems"][0].startswith(
        "bad.yaml: erreur de syntaxe YAML à la ligne 2"
    )
    with pytest.raises(PackRefused) as refused:
        install_pack("latin.yaml", "title: Été".encode("latin-1"))
    assert "UTF-8" in refused.value.details["problems"][0]
    assert folder_files() == []


def test_a_shipped_pack_cannot_be_shadowed(app):
    with pytest.raises(ValidationFailed) as refused:
        install_pack("bd.yaml", SHIPPED.read_bytes())
    assert "livré avec Plateau" in refused.value.fields["file"]
    assert folder_files() == []


def test_replacing_needs_the_flag_and_no_shift_in_progress(app, people):
    install_pack("a.yaml", a_pack(title="Version 1"))
    with pytest.raises(ValidationFailed) as refused:
        install_pack("a.yaml", a_pack(title="Version 2"))
    assert "Remplacer" in refused.value.fields["replace"]
    assert load_scenario("atelier-test")["title"] == "Version 1"

    replaced = install_pack("a.yaml", a_pack(title="Version 2"), replace=True)
    assert replaced.replaced and load_scenario("atelier-test")["title"] == "Version 2"

    create_shift("atelier-test", [people["cand1"]], name="En préparation")
    with pytest.raises(Conflict) as busy:
        install_pack("a.yaml", a_pack(title="Version 3"), replace=True)
    assert "En préparation" in busy.value.message
    assert load_scenario("atelier-test")["title"] == "Version 2"
    assert folder_files() == ["atelier-test.yaml"]


def test_remove_only_uploaded_packs_no_shift_uses(app, people):
    with pytest.raises(DomainError, match="livré"):
        remove_pack("bureau-direct")
    install_pack("a.yaml", a_pack())
    shift = create_shift("atelier-test", [people["cand1"]], name="Lundi")
    with pytest.raises(Conflict):
        remove_pack("atelier-test")
    shift.status = "ended"
    remove_pack("atelier-test")
    assert folder_files() == []
    with pytest.raises(NotFound):
        remove_pack("atelier-test")


def test_export_gives_the_file_back_as_it_is(app):
    content = a_pack()
    install_pack("a.yaml", content)
    assert export_pack("atelier-test") == ("atelier-test.yaml", content)
    assert export_pack("bureau-direct") == ("bureau-direct.yaml", SHIPPED.read_bytes())
    with pytest.raises(NotFound):
        export_pack("../etc/passwd")


def test_preview_counts_the_world_and_lists_the_timeline_in_order(app):
    data = load_yaml(SHIPPED.read_text(encoding="utf-8"))
    preview = pack_preview("bureau-direct")
    assert preview.figures["clients"] == len(data["clients"])
    assert preview.figures["products"] == len(data["products"])
    assert preview.figures["orders"] == sum(len(c.get("orders") or ()) for c in data["clients"])
    assert len(preview.timeline) == len(data["timeline"])
    offsets = [item.at for item in preview.timeline]
    assert offsets == sorted(offsets, key=lambda at: tuple(map(int, at.lstrip("+").split(":"))))
    assert sum(preview.channels.values()) == len(data["timeline"])
    assert preview.length_minutes >= 1
    assert "VENTE" in preview.qualification_codes


def test_cli_loads_exports_and_lists(app, runner, tmp_path):
    good = tmp_path / "atelier-test.yaml"
    good.write_bytes(a_pack())
    result = runner.invoke(args=["scenario", "load", str(good)])
    assert result.exit_code == 0, result.output
    assert "atelier-test: added" in result.output
    listed = runner.invoke(args=["scenario", "list"]).output
    assert "atelier-test" in listed and "uploaded" in listed

    bad = tmp_path / "casse.yaml"
    bad.write_bytes(broken_pack())
    refused = runner.invoke(args=["scenario", "load", str(bad)])
    assert refused.exit_code == 1
    assert (
        "casse.yaml: clients[0].orders[0].lines[0].sku: sku 'NOPE-000' introuvable : "
        "aucun produit n'a ce sku" in refused.output
    )
    english = runner.invoke(args=["scenario", "load", "--lang", "en", str(bad)])
    assert english.exit_code == 1
    assert (
        "casse.yaml: clients[0].orders[0].lines[0].sku: unknown sku 'NOPE-000': "
        "no product has this sku" in english.output
    )
    assert "introuvable" not in english.output
    assert folder_files() == ["atelier-test.yaml"]

    again = runner.invoke(args=["scenario", "load", str(good)])
    assert again.exit_code == 1 and "Remplacer" in again.output
    assert runner.invoke(args=["scenario", "load", "--replace", str(good)]).exit_code == 0

    out = tmp_path / "copy.yaml"
    exported = runner.invoke(args=["scenario", "export", "atelier-test", "-o", str(out)])
    assert exported.exit_code == 0 and out.read_bytes() == good.read_bytes()
    missing = runner.invoke(args=["scenario", "export", "nope"])
    assert missing.exit_code != 0 and "no scenario pack" in missing.output


def _upload(client, csrf, content: bytes, name: str = "pack.yaml", **extra):
    from io import BytesIO

    data = {"csrf_token": csrf, "file": (BytesIO(content), name), **extra}
    return client.post("/scenarios/upload", data=data, content_type="multipart/form-data")


def test_trainer_uploads_from_the_page_and_lands_on_the_preview(client, login, csrf_from, people):
    login("formateur")
    page = client.get("/scenarios/").get_data(as_text=True)
    assert "Bureau Direct" in page and "Ajouter un pack" in page
    response = _upload(client, csrf_from(page), a_pack())
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/scenarios/atelier-test/")
    preview = client.get("/scenarios/atelier-test/").get_data(as_text=True)
    assert "Pack « Atelier de test » ajouté à la bibliothèque." in preview
    assert "Le monde en chiffres" in preview and "Chronologie de la séance" in preview
    download = client.get("/scenarios/atelier-test.yaml")
    assert download.status_code == 200 and download.data == a_pack()
    assert "atelier-test.yaml" in download.headers["Content-Disposition"]


def test_an_invalid_upload_shows_every_problem_and_adds_nothing(client, login, csrf_from, people):
    login("formateur")
    csrf = csrf_from(client.get("/scenarios/").get_data(as_text=True))
    response = _upload(client, csrf, broken_pack(), name="casse.yaml", follow_redirects=False)
    # Post/Redirect/Get: the refused form is shown at the page's own address, with its status.
    shown = client.get(response.headers["Location"]) if response.status_code == 303 else response
    html = shown.get_data(as_text=True)
    assert shown.status_code == 422
    assert "Rien n&#39;a été ajouté" in html or "Rien n'a été ajouté" in html
    assert "casse.yaml: clients[0].orders[0].lines[0].sku: " in html
    assert folder_files() == []


#: The refused pack's problems as each language words them (`broken_pack`).
UNKNOWN_SKU = {
    "fr": "casse.yaml: clients[0].orders[0].lines[0].sku: sku &#39;NOPE-000&#39; introuvable : "
    "aucun produit n&#39;a ce sku",
    "en": "casse.yaml: clients[0].orders[0].lines[0].sku: unknown sku &#39;NOPE-000&#39;: "
    "no product has this sku",
}
EMPTY_TITLE = {
    "fr": "casse.yaml: title: ne doit pas être vide",
    "en": "casse.yaml: title: must not be empty",
}


def test_the_upload_page_words_problems_in_the_trainers_language(client, login, csrf_from, people):
    login("formateur")
    page = client.get("/scenarios/").get_data(as_text=True)
    french = _upload(client, csrf_from(page), broken_pack(), name="casse.yaml")
    html = french.get_data(as_text=True)
    assert french.status_code == 422
    assert UNKNOWN_SKU["fr"] in html and EMPTY_TITLE["fr"] in html
    assert UNKNOWN_SKU["en"] not in html and EMPTY_TITLE["en"] not in html
    switch_to_english(client, csrf_from, page, "/scenarios/")
    page = client.get("/scenarios/").get_data(as_text=True)
    english = _upload(client, csrf_from(page), broken_pack(), name="casse.yaml")
    html = english.get_data(as_text=True)
    assert english.status_code == 422
    assert UNKNOWN_SKU["en"] in html and EMPTY_TITLE["en"] in html
    assert UNKNOWN_SKU["fr"] not in html and EMPTY_TITLE["fr"] not in html
    assert folder_files() == []


def test_a_broken_pack_in_the_library_is_worded_in_each_readers_language(
    client, login, csrf_from, people
):
    """The library caches each file's problems: they are worded when shown, not when found."""
    pack_dir().mkdir(parents=True, exist_ok=True)
    (pack_dir() / "atelier-casse.yaml").write_bytes(broken_pack())
    login("formateur")
    page = client.get("/scenarios/").get_data(as_text=True)
    french = EMPTY_TITLE["fr"].replace("casse.yaml", str(pack_dir() / "atelier-casse.yaml"))
    assert french in page
    api = client.get("/api/v1/scenarios").get_json()["items"]
    assert any(french in problem for item in api for problem in item["problems"])
    switch_to_english(client, csrf_from, page, "/scenarios/")
    page = client.get("/scenarios/").get_data(as_text=True)
    english = EMPTY_TITLE["en"].replace("casse.yaml", str(pack_dir() / "atelier-casse.yaml"))
    assert english in page and french not in page
    api = client.get("/api/v1/scenarios").get_json()["items"]
    assert any(english in problem for item in api for problem in item["problems"])


def test_an_upload_past_the_pack_limit_is_refused_before_it_is_read(client, login, app, people):
    login("formateur")
    app.config["PACK_MAX_BYTES"] = 1000
    response = _upload(client, "x", b"#" * 5000)
    assert response.status_code == 413
    assert folder_files() == []


def test_candidates_never_reach_the_library(client, login, people):
    install_pack("a.yaml", a_pack())
    login("candidat1")
    assert client.get("/scenarios/").status_code == 403
    assert client.get("/scenarios/atelier-test/").status_code == 403
    assert client.get("/scenarios/atelier-test.yaml").status_code == 403


def test_evaluators_read_the_library_but_do_not_change_it(client, login, csrf_from, people):
    install_pack("a.yaml", a_pack())
    login("jury")
    page = client.get("/scenarios/").get_data(as_text=True)
    assert "Atelier de test" in page and "Ajouter un pack" not in page
    csrf = csrf_from(client.get("/shifts/").get_data(as_text=True))
    assert _upload(client, csrf, a_pack("autre")).status_code == 403
    response = client.post("/scenarios/atelier-test/remove", data={"csrf_token": csrf})
    assert response.status_code == 403
    assert Path(pack_dir() / "atelier-test.yaml").is_file()
    assert client.get("/scenarios/nope/").status_code == 404
    assert client.get("/scenarios/nope.yaml").status_code == 404


def test_a_pack_card_names_real_standards_and_criteria(app):
    from crm.training.scenario_schema import validate_scenario

    exam = SHIPPED.with_name("examen-linea-maison.yaml")
    data = load_yaml(exam.read_text(encoding="utf-8"))
    assert validate_scenario(data, exam.name) == []
    data["card"]["exercises"][0]["criteria"].append("CP9-C9")
    data["card"]["exercises"].append({"standard": "tp-inconnu", "criteria": ["X"]})
    problems = [str(p) for p in validate_scenario(data, exam.name)]
    assert problems == [
        f"{exam.name}: card.exercises[0].criteria[11]: 'CP9-C9' n'est pas un critère de "
        "tp-crcd-reac-2011",
        f"{exam.name}: card.exercises[2].standard: 'tp-inconnu' n'est pas un référentiel de "
        "cette installation",
    ]
    data["card"] = {"candidate": "", "length_minutes": 2, "exercises": [{"standard": "x"}]}
    problems = [p.path for p in validate_scenario(data, exam.name)]
    assert {"card.candidate", "card.brief", "card.length_minutes"} <= set(problems)
    assert "card.exercises[0].criteria" in problems


def test_the_preview_shows_the_card(client, login, people):
    login("formateur")
    html = client.get("/scenarios/examen-linea-maison/").get_data(as_text=True)
    assert "Six clients vont vous joindre" in html
    assert "CP7-C2" in html and "1.1-C3" in html
    assert "30 minutes" in html


def test_the_preview_timeline_speaks_words_and_house_numbers(client, login, csrf_from, people):
    login("formateur")
    html = client.get("/scenarios/bureau-direct/").get_data(as_text=True)
    # The scenario's payment is « Règlement », never its key; numbers as the CRM writes them.
    assert "Règlement : 1" in html and "payment" not in html
    assert "06 39 98 30 45" in html and "+33 6 39 98 30 45" not in html
    assert ">Quand<" in html
    switch_to_english(client, csrf_from, html, "/scenarios/bureau-direct/")
    english = client.get("/scenarios/bureau-direct/").get_data(as_text=True)
    assert "Payment: 1" in english and "Call: 7" in english and "Call : " not in english
    assert ">When<" in english and ">To<" not in english
