"""The scenario validator: the default pack is clean, and each kind of mistake is located."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from crm.training.scenario_schema import (
    ScenarioProblem,
    load_scenario_file,
    luhn_ok,
    parse_date_spec,
    parse_datetime_spec,
    validate_scenario,
)
from crm.yaml_text import load_yaml

DEFAULT = Path(__file__).resolve().parents[2] / "seed_data" / "scenarios" / "bureau-direct.yaml"
FILE = "bureau-direct.yaml"


@pytest.fixture(scope="module")
def default_doc() -> dict:
    """The default pack as data (its validity, card included, is checked in an app context by
    `test_default_scenario_is_valid`: the card's criteria are read from the installed standards)."""
    return load_yaml(DEFAULT.read_text(encoding="utf-8"))


@pytest.fixture
def doc(default_doc) -> dict:
    return copy.deepcopy(default_doc)


def _index(items, predicate) -> int:
    return next(i for i, item in enumerate(items) if predicate(item))


def _out_of_stock(d) -> int:
    return _index(d["products"], lambda p: p["stock"] == 0)


def _b2b(d) -> int:
    return _index(d["clients"], lambda c: c["segment"] == "b2b")


def _with(d, key) -> int:
    return _index(d["clients"], lambda c: len(c.get(key, [])) >= 1)


def test_default_scenario_is_valid(app):
    data, problems = load_scenario_file(DEFAULT)
    assert [str(p) for p in problems] == []
    assert data["slug"] == DEFAULT.stem


# --- each kind of mistake: (mutation, expected path, words expected in the message) ---------


def _set(path_fn, value):
    """A mutation that sets the value found by ``path_fn(d) -> (container, key)``."""

    def mutate(d):
        container, key = path_fn(d)
        container[key] = value

    return mutate


def m_missing_title(d):
    del d["title"]
    return "title"


def m_unknown_top_key(d):
    d["colour"] = "blue"
    return "colour"


def m_price_float(d):
    d["products"][0]["unit_price"] = 24.9
    return "products[0].unit_price"


def m_price_one_decimal(d):
    d["products"][1]["unit_price"] = "22.5"
    return "products[1].unit_price"


def m_negative_amount(d):
    i = _with(d, "invoices")
    d["clients"][i]["invoices"][0]["amount"] = "-5.00"
    return f"clients[{i}].invoices[0].amount"


def m_rate_too_high(d):
    d["products"][2]["vat_rate"] = "120.00"
    return "products[2].vat_rate"


def m_no_restock_date(d):
    i = _out_of_stock(d)
    del d["products"][i]["restock_date"]
    return f"products[{i}].restock_date"


def m_warranty_zero(d):
    d["products"][0]["warranty_months"] = 0
    return "products[0].warranty_months"


def m_warranty_and_extension(d):
    d["products"][0]["warranty_months"] = 24
    d["products"][0]["extends_warranty_months"] = 36
    return "products[0].extends_warranty_months"


def m_unknown_substitute(d):
    i = _out_of_stock(d)
    d["products"][i]["substitutes"] = ["NOPE-1"]
    return f"products[{i}].substitutes[0]"


def m_own_substitute(d):
    i = _out_of_stock(d)
    d["products"][i]["substitutes"] = [d["products"][i]["sku"]]
    return f"products[{i}].substitutes[0]"


def m_duplicate_sku(d):
    d["products"][1]["sku"] = d["products"][0]["sku"]
    return "products[1].sku"


def m_bad_sku(d):
    d["products"][0]["sku"] = "pap a4"
    return "products[0].sku"


def m_quantity_zero(d):
    d["products"][0]["sale_unit"]["quantity"] = 0
    return "products[0].sale_unit.quantity"


def m_line_unknown_sku(d):
    i = _with(d, "orders")
    d["clients"][i]["orders"][0]["lines"][0]["sku"] = "GHOST-9"
    return f"clients[{i}].orders[0].lines[0].sku"


def m_invoice_other_clients_order(d):
    first = _with(d, "orders")
    other = _index(d["clients"], lambda c: c.get("invoices") and c is not d["clients"][first])
    d["clients"][other]["invoices"][0]["order"] = d["clients"][first]["orders"][0]["number"]
    return f"clients[{other}].invoices[0].order"


def m_invoice_unknown_order(d):
    i = _with(d, "invoices")
    d["clients"][i]["invoices"][0]["order"] = "CMD-000000"
    return f"clients[{i}].invoices[0].order"


def _unpaid_invoice(d) -> tuple[int, int]:
    """The first client with an invoice still owed, and that invoice's index."""
    for i, client in enumerate(d["clients"]):
        for j, invoice in enumerate(client.get("invoices", [])):
            if invoice["amount_paid"] != invoice["amount"]:
                return i, j
    raise AssertionError("no unpaid invoice in the default scenario")


def m_reminders_on_a_paid_invoice(d):
    i = _with(d, "invoices")
    invoice = d["clients"][i]["invoices"][0]
    invoice["amount_paid"] = invoice["amount"]
    invoice["reminders_sent"] = 1
    return f"clients[{i}].invoices[0].reminders_sent"


def m_reminders_beyond_the_ladder(d):
    i, j = _unpaid_invoice(d)
    d["clients"][i]["invoices"][j]["reminders_sent"] = len(d["dunning_ladder"]) + 1
    return f"clients[{i}].invoices[{j}].reminders_sent"


def m_reminders_not_a_number(d):
    i, j = _unpaid_invoice(d)
    d["clients"][i]["invoices"][j]["reminders_sent"] = "deux"
    return f"clients[{i}].invoices[{j}].reminders_sent"


def m_duplicate_invoice_number(d):
    clients = [i for i, c in enumerate(d["clients"]) if c.get("invoices")]
    a, b = clients[0], clients[1]
    d["clients"][b]["invoices"][0]["number"] = d["clients"][a]["invoices"][0]["number"]
    return f"clients[{b}].invoices[0].number"


def m_duplicate_order_number(d):
    clients = [i for i, c in enumerate(d["clients"]) if c.get("orders")]
    a, b = clients[0], clients[1]
    d["clients"][b]["orders"][0]["number"] = d["clients"][a]["orders"][0]["number"]
    return f"clients[{b}].orders[0].number"


def m_overpaid(d):
    i = _with(d, "invoices")
    invoice = d["clients"][i]["invoices"][0]
    invoice["amount"], invoice["amount_paid"] = "100.00", "100.01"
    return f"clients[{i}].invoices[0].amount_paid"


def m_due_before_issue(d):
    i = _with(d, "invoices")
    invoice = d["clients"][i]["invoices"][0]
    invoice["issued_on"], invoice["due_on"] = "-10d", "-40d"
    return f"clients[{i}].invoices[0].due_on"


def m_b2b_without_company(d):
    i = _b2b(d)
    del d["clients"][i]["company_name"]
    return f"clients[{i}].company_name"


def m_bad_phone(d):
    d["clients"][0]["phones"] = ["12 34"]
    return "clients[0].phones[0]"


def m_duplicate_client_number(d):
    d["clients"][1]["number"] = d["clients"][0]["number"]
    return "clients[1].number"


def m_bad_date(d):
    i = _with(d, "orders")
    d["clients"][i]["orders"][0]["date"] = "-45 days"
    return f"clients[{i}].orders[0].date"


def m_bad_birth_date(d):
    i = _index(d["clients"], lambda c: "birth_date" in c)
    d["clients"][i]["birth_date"] = "1980-02-30"
    return f"clients[{i}].birth_date"


def m_luhn(d):
    d["training_cards"][0]["number"] = "4111111111111112"
    return "training_cards[0].number"


def m_card_too_short(d):
    d["training_cards"][0]["number"] = "411111111111"
    return "training_cards[0].number"


def m_family(d):
    d["qualification_codes"][0]["family"] = "CA"
    return "qualification_codes[0].family"


def m_effect(d):
    d["qualification_codes"][0]["effects"] = ["send_flowers"]
    return "qualification_codes[0].effects[0]"


def m_duplicate_code(d):
    d["qualification_codes"][1]["code"] = d["qualification_codes"][0]["code"]
    return "qualification_codes[1].code"


def m_dunning_template(d):
    d["dunning_ladder"][0]["template"] = "relance-inconnue"
    return "dunning_ladder[0].template"


def m_dunning_order(d):
    d["dunning_ladder"][1]["level"] = 1
    return "dunning_ladder[1].level"


def m_campaign_code(d):
    d["campaigns"][0]["qualification_codes"].append("PIZZA")
    n = len(d["campaigns"][0]["qualification_codes"]) - 1
    return f"campaigns[0].qualification_codes[{n}]"


def m_contact_code(d):
    i = _with(d, "contacts")
    d["clients"][i]["contacts"][0]["code"] = "MAYBE"
    return f"clients[{i}].contacts[0].code"


def m_slug(d):
    d["slug"] = "autre-scenario"
    return "slug"


def m_working_hours(d):
    d["sales_reps"][0]["working_hours"][0]["end"] = "08:00"
    return "sales_reps[0].working_hours[0].end"


def m_unquoted_time(d):
    d["sales_reps"][0]["working_hours"][0]["start"] = 870  # what YAML makes of 14:30
    return "sales_reps[0].working_hours[0].start"


def m_busy_datetime(d):
    d["sales_reps"][0]["busy"][0]["starts_at"] = "+1d 25:00"
    return "sales_reps[0].busy[0].starts_at"


def m_busy_backwards(d):
    busy = d["sales_reps"][0]["busy"][0]
    busy["starts_at"], busy["ends_at"] = "+1d 11:00", "+1d 10:00"
    return "sales_reps[0].busy[0].ends_at"


def m_template_variable(d):
    d["message_templates"][0]["body"] += "\n{{ client.shoe_size }}"
    return "message_templates[0].body"


def m_sms_subject(d):
    i = _index(d["message_templates"], lambda t: t["channel"] == "sms")
    d["message_templates"][i]["subject"] = "Objet"
    return f"message_templates[{i}].subject"


def m_kb_duplicate_slug(d):
    d["knowledge_base"][1]["slug"] = d["knowledge_base"][0]["slug"]
    return "knowledge_base[1].slug"


def m_unknown_nested_key(d):
    i = _out_of_stock(d)
    d["products"][i]["restok_date"] = d["products"][i].pop("restock_date")
    return f"products[{i}].restok_date"


def m_promotion_dates(d):
    d["promotions"][0]["starts_on"], d["promotions"][0]["ends_on"] = "+5d", "-5d"
    return "promotions[0].ends_on"


def m_postcode(d):
    d["clients"][0]["address"]["postcode"] = 69003
    return "clients[0].address.postcode"


MISTAKES = [
    (m_missing_title, "clé obligatoire absente"),
    (m_unknown_top_key, "clé inconnue"),
    (m_price_float, "deux décimales"),
    (m_price_one_decimal, "exactement deux décimales"),
    (m_negative_amount, "hors limites"),
    (m_rate_too_high, "≤ 100"),
    (m_no_restock_date, "obligatoire quand stock vaut 0"),
    (m_warranty_zero, "attendu un nombre entier entre 1 et 240"),
    (m_warranty_and_extension, "a sa propre garantie ou prolonge celle des autres"),
    (m_unknown_substitute, "sku 'NOPE-1' introuvable"),
    (m_own_substitute, "son propre produit de substitution"),
    (m_duplicate_sku, ("sku ", "en double")),
    (m_bad_sku, "des majuscules"),
    (m_quantity_zero, "≥ 1"),
    (m_line_unknown_sku, "sku 'GHOST-9' introuvable"),
    (m_invoice_other_clients_order, "appartient à clients["),
    (m_invoice_unknown_order, "aucune commande de ce numéro"),
    (m_duplicate_invoice_number, ("numéro de facture", "en double")),
    (m_reminders_on_a_paid_invoice, "la facture est réglée"),
    (m_reminders_beyond_the_ladder, "doit avoir les niveaux 1 à 5"),
    (m_reminders_not_a_number, "nombre entier"),
    (m_duplicate_order_number, ("numéro de commande", "en double")),
    (m_overpaid, "dépasse le montant"),
    (m_due_before_issue, "avant issued_on"),
    (m_b2b_without_company, "obligatoire pour un client b2b"),
    (m_bad_phone, "n'est pas un numéro de téléphone français"),
    (m_duplicate_client_number, ("numéro de client", "en double")),
    (m_bad_date, "n'est pas une date"),
    (m_bad_birth_date, "n'est pas une date du calendrier"),
    (m_luhn, "Luhn"),
    (m_card_too_short, "13 à 19 chiffres"),
    (m_family, "attendu l'un de CA+, CA-, CNA, closed"),
    (m_effect, "effet 'send_flowers' introuvable"),
    (m_duplicate_code, ("code de qualification", "en double")),
    (m_dunning_template, "aucune lettre-type n'a cette clé"),
    (m_dunning_order, "les niveaux doivent croître"),
    (m_campaign_code, "code de qualification 'PIZZA' introuvable"),
    (m_contact_code, "code de qualification 'MAYBE' introuvable"),
    (m_slug, "ne correspond pas au nom du fichier"),
    (m_working_hours, "n'est pas après le début"),
    (m_unquoted_time, "heure entre guillemets"),
    (m_busy_datetime, "n'est pas une heure de la journée"),
    (m_busy_backwards, "doit être après starts_at"),
    (m_template_variable, "variable inconnue {{ client.shoe_size }}"),
    (m_sms_subject, "seules les lettres-types e-mail ont un objet"),
    (m_kb_duplicate_slug, ("slug d'article", "en double")),
    (m_unknown_nested_key, "vouliez-vous dire 'restock_date' ?"),
    (m_promotion_dates, "ne doit pas être avant starts_on"),
    (m_postcode, "doit être du texte (mettez-le entre guillemets)"),
]


@pytest.mark.parametrize(("mutate", "words"), MISTAKES, ids=[m.__name__ for m, _ in MISTAKES])
def test_each_mistake_is_reported_at_its_path(doc, mutate, words):
    path = mutate(doc)
    problems = validate_scenario(doc, FILE)
    at_path = [p for p in problems if p.path == path]
    assert at_path, f"nothing at {path}; got {[str(p) for p in problems]}"
    wanted = words if isinstance(words, tuple) else (words,)
    assert any(all(w in p.message for w in wanted) for p in at_path), [
        str(p.message) for p in at_path
    ]


def test_every_problem_is_collected_in_one_pass(doc):
    m_price_float(doc)
    m_luhn(doc)
    m_slug(doc)
    paths = {p.path for p in validate_scenario(doc, FILE)}
    assert {"products[0].unit_price", "training_cards[0].number", "slug"} <= paths


def test_campaigns_may_carry_desk_settings(app, doc):
    doc["campaigns"][0]["script"] = "Guide d'entretien…"
    assert validate_scenario(doc, FILE) == []


def test_problem_reads_file_path_message():
    problem = ScenarioProblem("x.yaml", "products[3].sale_unit.quantity", "doit être ≥ 1")
    assert str(problem) == "x.yaml: products[3].sale_unit.quantity: doit être ≥ 1"
    assert str(ScenarioProblem("x.yaml", "", "pas du YAML")) == "x.yaml: pas du YAML"


# --- garbage never raises ----------------------------------------------------------------------

GARBAGE = [None, [], {}, "x", 0, -1, 1.5, True, b"bytes", {1: 2}, [None], [[]], {"format": []}]


@pytest.mark.parametrize("data", GARBAGE, ids=repr)
def test_garbage_documents_give_problems_not_exceptions(data):
    problems = validate_scenario(data, FILE)
    assert problems
    assert all(isinstance(p, ScenarioProblem) for p in problems)


def _shrink(node):
    """The same document with every list cut to its first two items: fast to mutate all over."""
    if isinstance(node, dict):
        return {k: _shrink(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_shrink(v) for v in node[:2]]
    return node


def _slots(node, trail=()):
    """Every (path of keys/indexes) inside a document."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        yield (*trail, key)
        if isinstance(value, dict | list):
            yield from _slots(value, (*trail, key))


def test_any_value_replaced_by_garbage_never_raises(default_doc):
    small = _shrink(default_doc)
    for slot in list(_slots(small)):
        target = small
        for key in slot[:-1]:
            target = target[key]
        original = target[slot[-1]]
        for junk in (None, [], {}, "x", 7, [{}], {"a": None}):
            target[slot[-1]] = junk
            problems = validate_scenario(small, FILE)  # must not raise
            assert all(isinstance(p, ScenarioProblem) for p in problems)
        target[slot[-1]] = original


# --- loading files -----------------------------------------------------------------------------


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: plateau-scenario/1\nslug: [unclosed\ntitle: x\n", encoding="utf-8")
    data, problems = load_scenario_file(path)
    assert data is None
    assert len(problems) == 1
    assert "erreur de syntaxe YAML à la ligne" in problems[0].message
    assert "colonne" in problems[0].message


def test_duplicate_yaml_keys_are_reported(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("format: plateau-scenario/1\nslug: dup\nslug: dup\n", encoding="utf-8")
    _, problems = load_scenario_file(path)
    assert any(
        "ligne 3" in p.message and "la clé 'slug' apparaît deux fois" in p.message for p in problems
    )


def test_missing_file_is_a_problem(tmp_path):
    data, problems = load_scenario_file(tmp_path / "nope.yaml")
    assert data is None
    assert "impossible de lire le fichier" in problems[0].message


def test_non_utf8_file_is_a_problem(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("title: Société".encode("latin-1"))
    data, problems = load_scenario_file(path)
    assert data is None
    assert "pas du texte UTF-8" in problems[0].message


# --- helpers -----------------------------------------------------------------------------------


TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("0d", date(2026, 3, 15)),
        ("+7d", date(2026, 3, 22)),
        ("-45d", date(2026, 1, 29)),
        ("+0d", date(2026, 3, 15)),
        ("2026-03-01", date(2026, 3, 1)),
        (date(2025, 12, 31), date(2025, 12, 31)),
    ],
)
def test_parse_date_spec(spec, expected):
    assert parse_date_spec(spec, TODAY) == expected


@pytest.mark.parametrize(
    "spec", ["7d", "-45", "-45 d", "d", "2026-02-30", "01/03/2026", "", None, 5, [], "+2d 10:00"]
)
def test_parse_date_spec_rejects(spec):
    with pytest.raises(ValueError):
        parse_date_spec(spec, TODAY)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # Paris is UTC+1 in winter, UTC+2 in summer (DST starts on 2026-03-29).
        ("+2d 14:30", datetime(2026, 3, 17, 13, 30, tzinfo=UTC)),
        ("+20d 14:30", datetime(2026, 4, 4, 12, 30, tzinfo=UTC)),
        ("0d 09:00", datetime(2026, 3, 15, 8, 0, tzinfo=UTC)),
        ("2026-03-02T14:30:00+01:00", datetime(2026, 3, 2, 13, 30, tzinfo=UTC)),
        ("2026-03-02T14:30Z", datetime(2026, 3, 2, 14, 30, tzinfo=UTC)),
    ],
)
def test_parse_datetime_spec(spec, expected):
    result = parse_datetime_spec(spec, TODAY)
    assert result == expected
    assert result.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "spec", ["+2d 24:00", "+2d 9:00", "+2d", "2026-03-02T14:30:00", "2026-03-02", None, 3]
)
def test_parse_datetime_spec_rejects(spec):
    with pytest.raises(ValueError):
        parse_datetime_spec(spec, TODAY)


def test_parse_datetime_spec_rejects_unknown_zone():
    with pytest.raises(ValueError):
        parse_datetime_spec("+1d 10:00", TODAY, tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("4111111111111111", True),
        ("5555555555554444", True),
        ("378282246310005", True),
        ("4111 1111 1111 1111", True),
        ("4111111111111112", False),
        ("41111111abc", False),
        ("", False),
        (None, False),
    ],
)
def test_luhn_ok(number, ok):
    assert luhn_ok(number) is ok


# --- the default scenario keeps what a shift needs ---------------------------------------------


def _outstanding(client) -> float:
    return sum(float(i["amount"]) - float(i["amount_paid"]) for i in client.get("invoices", []))


def test_default_scenario_is_rich_enough(default_doc):
    d = default_doc
    clients = d["clients"]
    assert len(clients) >= 45
    assert sum(c["kind"] == "prospect" for c in clients) >= 8
    assert {c["segment"] for c in clients} == {"b2b", "b2c"}
    assert any(p.get("gatekeeper") for c in clients for p in c.get("contact_persons", []))
    assert sum(c["do_not_call"] for c in clients) == 1
    assert sum(1 for c in clients if len(c.get("orders", [])) >= 1) >= 20
    unpaid = [i for c in clients for i in c.get("invoices", []) if i["amount_paid"] != i["amount"]]
    assert len(unpaid) >= 12
    assert any(i["amount_paid"] != "0.00" for i in unpaid)  # some partly paid
    near_limit = [
        c
        for c in clients
        if c.get("credit_limit") and 0.9 <= _outstanding(c) / float(c["credit_limit"]) <= 1
    ]
    assert len(near_limit) == 1

    products = {p["sku"]: p for p in d["products"]}
    assert len(products) >= 65
    out = [p for p in products.values() if p["stock"] == 0]
    assert len(out) >= 9
    for product in out:
        assert 1 <= len(product["substitutes"]) <= 3
        assert all(products[s]["stock"] > 0 for s in product["substitutes"])
    assert sum(bool(p.get("complements")) for p in products.values()) > len(products) / 2
    assert len(d["promotions"]) == 2

    assert len(d["knowledge_base"]) >= 16
    assert len(d["company"]["procedures"]) >= 4
    assert len(d["sales_reps"]) >= 3
    templates = {(t["key"].rsplit("-", 1)[0], t["language"]) for t in d["message_templates"]}
    stems = {stem for stem, _ in templates}
    assert all((stem, lang) in templates for stem in stems for lang in ("fr", "en"))
    assert {c["kind"] for c in d["campaigns"]} == {"inbound", "outbound"}
    cards = {c["number"] for c in d["training_cards"]}
    assert {"4111111111111111", "5555555555554444", "378282246310005"} <= cards
