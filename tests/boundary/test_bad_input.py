"""Bad input is a 4xx naming the field, never a 500, and nothing is written (issue 10, item 4)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.clients.models import Client
from crm.extensions import db

HUGE = 2**64
#: Past PostgreSQL's INTEGER, within SQLite's: the narrowest column decides.
PAST_INT4 = 2**31


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _post_raw(client, token, path, text):
    return client.post(
        "/api/v1" + path,
        data=text,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.fixture
def cand(api, shift):
    return api.as_("candidat1")


@pytest.fixture
def trainer(api, shift):
    return api.as_("formateur")


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, "9" * 5000])
def test_a_path_id_past_the_database_range_is_not_found(cand, number):
    response = cand.get(f"/clients/{number}")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_a_page_path_id_past_the_database_range_is_a_404_page(client, login, shift):
    login("jury")
    response = client.get(f"/bench/attempts/{HUGE}/grid")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, -HUGE, "9" * 5000])
def test_a_query_integer_past_the_database_range_is_a_422_naming_it(cand, number):
    response = cand.get("/invoices", offset=number)
    assert response.status_code == 422
    assert "offset" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("number", [HUGE, PAST_INT4, -HUGE])
def test_a_body_integer_past_the_database_range_is_a_422_naming_it(cand, number):
    before = _count(Action)
    response = cand.post("/orders", {"client_id": number})
    assert response.status_code == 422
    assert "client_id" in response.get_json()["error"]["fields"]
    assert _count(Action) == before


def test_a_nested_integer_is_named_by_its_path(cand):
    response = cand.post(
        "/payment-plans",
        {"client_id": 1, "invoice_ids": [1, HUGE], "installments": []},
    )
    assert response.status_code == 422
    assert "invoice_ids[1]" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("depth", [100_000, 2_000])
def test_deeply_nested_json_is_a_json_error(client, cand, depth):
    response = _post_raw(client, cand.token, "/orders", "[" * depth + "]" * depth)
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["code"] in ("malformed_json", "validation_failed")


@pytest.mark.parametrize(
    ("text", "why"),
    [('"Dupont\\ud800"', "surrogate"), ('"Dup\\u0000ont"', "nul")],
)
def test_unstorable_text_in_a_body_is_a_422_naming_the_field(client, cand, text, why):
    before_clients, before_actions = _count(Client), _count(Action)
    body = '{"segment": "particulier", "last_name": ' + text + "}"
    response = _post_raw(client, cand.token, "/clients", body)
    assert response.status_code == 422, why
    fields = response.get_json()["error"]["fields"]
    assert list(fields) == ["last_name"]
    assert "U+" in fields["last_name"]
    assert (_count(Client), _count(Action)) == (before_clients, before_actions)


def test_unstorable_text_deep_in_a_body_is_named_by_its_path(client, cand):
    body = json.dumps({"order_id": 1, "method": "card", "amount": "1.00"})
    body = body[:-1] + ', "card": {"number": "4111\\u0000"}}'
    response = _post_raw(client, cand.token, "/payments", body)
    assert response.status_code == 422
    assert "card.number" in response.get_json()["error"]["fields"]


def test_an_unstorable_key_is_refused(client, cand):
    response = _post_raw(client, cand.token, "/orders", '{"client_id": 1, "\\ud800": 1}')
    assert response.status_code == 422
    assert "\\ud800" in response.get_json()["error"]["fields"]


def test_nul_in_a_query_string_is_a_422_naming_it(cand):
    response = cand.get("/clients", q="Dup\x00ont")
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["q"]


def test_nul_in_a_page_form_is_a_422_page_and_nothing_is_written(client, login, shift, csrf_from):
    login("candidat1")
    page = client.get("/clients/new").get_data(as_text=True)
    before_clients, before_actions = _count(Client), _count(Action)
    response = client.post(
        "/clients/new",
        data={"csrf_token": csrf_from(page), "last_name": "Dup\x00ont", "segment": "particulier"},
        follow_redirects=True,  # Post/Redirect/Get: the refusal is shown at the form's address
    )
    assert response.status_code == 422
    assert response.request.method == "GET"
    html = response.get_data(as_text=True)
    assert "last_name" in html and "U+0000" in html
    assert (_count(Client), _count(Action)) == (before_clients, before_actions)


def test_a_page_query_id_past_the_range_is_not_a_server_error(client, login, shift):
    login("candidat1")
    response = client.get(f"/payments/new?order_id={HUGE}")
    assert response.status_code == 404


def test_a_page_form_id_past_the_range_is_not_a_server_error(client, login, shift, csrf_from):
    login("candidat1")
    page = client.get("/clients").get_data(as_text=True)
    response = client.post(
        "/orders/new", data={"csrf_token": csrf_from(page), "client_id": str(HUGE)}
    )
    assert response.status_code < 500


@pytest.mark.parametrize("spelled", ["9" * 5000, "²", "٣"])
def test_a_query_integer_spelled_oddly_is_a_422(cand, spelled):
    response = cand.get("/invoices", offset=spelled)
    assert response.status_code == 422
    assert "offset" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("spelled", ["9" * 5000, "²", str(2**40)])
@pytest.mark.parametrize("name", ["contact", "client"])
def test_the_timeline_filter_ignores_an_id_it_cannot_read(client, login, attempt, name, spelled):
    login("jury")
    response = client.get(f"/attempts/{attempt.id}/timeline", query_string={name: spelled})
    assert response.status_code == 200


def test_a_quantity_of_5000_digits_is_a_422(cand):
    order = cand.post("/orders", {"client_id": 1}).get_json()
    product = cand.get("/products").get_json()["items"][0]
    response = cand.post(
        f"/orders/{order['id']}/lines", {"product_id": product["id"], "quantity": "9" * 5000}
    )
    assert response.status_code == 422
    assert "quantity" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("spelled", ["9" * 5000, "²"])
def test_an_odd_replaced_product_on_the_order_page_is_no_server_error(
    client, login, attempt, csrf_from, spelled
):
    from crm.catalog.models import Product

    sku = db.session.scalar(
        sa.select(Product.sku).where(Product.attempt_id == attempt.id).order_by(Product.id)
    )
    login("candidat1")
    page = client.get("/clients/1").get_data(as_text=True)
    token = csrf_from(page)
    opened = client.post("/orders/new", data={"csrf_token": token, "client_id": "1"})
    order_url = opened.headers["Location"]
    response = client.post(
        order_url.rstrip("/") + "/lines",
        data={"csrf_token": token, "sku": sku, "quantity": "1", "replaces_product_id": spelled},
    )
    assert response.status_code < 500


#: Optional fields that are not text, sent as "" in a JSON body: the document types them
#: (integer, boolean), so "" is a wrong value, not an absent one (only HTML forms and query
#: strings say "not given" with an empty string).
EMPTY_IN_A_LINE = ["backorder", "additional", "replaces_product_id"]


@pytest.mark.parametrize("name", EMPTY_IN_A_LINE)
def test_an_empty_string_for_an_optional_typed_field_of_a_line_is_a_422(cand, name):
    order = cand.post("/orders", {"client_id": 1}).get_json()
    product = cand.get("/products").get_json()["items"][0]
    before = _count(Action)
    response = cand.post(
        f"/orders/{order['id']}/lines", {"product_id": product["id"], "quantity": 1, name: ""}
    )
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert list(error["fields"]) == [name]
    assert _count(Action) == before
    assert cand.get(f"/orders/{order['id']}").get_json()["lines"] == []


def test_an_empty_string_for_an_optional_id_of_a_claim_is_a_422(cand):
    from crm.claims.models import Claim

    before_claims, before_actions = _count(Claim), _count(Action)
    body = {
        "client_id": 1,
        "category": "billing",
        "description": "Montant facturé erroné.",
        "order_id": "",
    }
    response = cand.post("/claims", body)
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["order_id"]
    assert (_count(Claim), _count(Action)) == (before_claims, before_actions)


def test_an_empty_string_for_an_optional_boolean_of_a_shift_is_a_422(trainer, people):
    from crm.training.models import Shift

    before = _count(Shift)
    body = {"scenario": "bureau-direct", "candidate_ids": [people["cand3"].id], "exam_mode": ""}
    response = trainer.post("/shifts", body)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert list(fields) == ["exam_mode"]
    assert "true" in fields["exam_mode"]
    assert _count(Shift) == before


def test_an_empty_string_for_a_required_typed_field_names_the_type(cand):
    response = cand.post("/orders", {"client_id": ""})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"client_id": "Nombre entier attendu."}


def test_null_for_an_optional_typed_field_is_still_absent(cand):
    order = cand.post("/orders", {"client_id": 1}).get_json()
    product = cand.get("/products").get_json()["items"][0]
    response = cand.post(
        f"/orders/{order['id']}/lines",
        {"product_id": product["id"], "quantity": 1, "replaces_product_id": None},
    )
    assert response.status_code in (201, 409), response.get_json()


def test_an_empty_query_filter_is_still_absent(cand):
    response = cand.get("/invoices", client_id="", offset="")
    assert response.status_code == 200
    assert response.get_json()["total"] == cand.get("/invoices").get_json()["total"]
