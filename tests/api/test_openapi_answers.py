"""The OpenAPI document's answers: every operation's statuses, their shapes and headers."""

from __future__ import annotations

import re

import pytest

#: Statuses every operation may answer, whatever it does.
COMMON = {"400", "401", "403", "404", "409", "413", "422", "503"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def _operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_lists_the_common_statuses_with_the_error_shape(document):
    error = {"$ref": "#/components/schemas/Error"}
    for label, operation in _operations(document):
        responses = operation["responses"]
        assert set(responses) >= COMMON, label
        for status in COMMON:
            assert responses[status]["content"]["application/json"]["schema"] == error, label


def test_a_busy_or_throttled_answer_says_when_to_retry(document):
    for label, operation in _operations(document):
        assert "Retry-After" in operation["responses"]["503"]["headers"], label
    login = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "Retry-After" in login["429"]["headers"]
    assert login["429"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/auth/token", "/api/v1/shifts/{shift_id}"],
)
def test_a_204_has_no_body_and_says_what_it_means(document, path):
    answer = document["paths"][path]["delete"]["responses"]["204"]
    assert "content" not in answer
    assert answer["description"] != "OK"


def test_success_answers_declare_their_media_type_and_shape(document):
    paths = document["paths"]
    csv = paths["/api/v1/shifts/{shift_id}/grades.csv"]["get"]["responses"]["200"]
    assert list(csv["content"]) == ["text/csv"]
    pdf = paths["/api/v1/attempts/{attempt_id}/report.pdf"]["get"]["responses"]["200"]
    assert pdf["content"]["application/pdf"]["schema"]["format"] == "binary"
    created = paths["/api/v1/orders"]["post"]["responses"]["201"]
    assert "lines" in created["content"]["application/json"]["schema"]["properties"]
    listing = paths["/api/v1/orders"]["get"]["responses"]["200"]
    assert listing["content"]["application/json"]["schema"]["required"] == ["items", "total"]


def test_an_operation_names_its_own_conflicts(document):
    paths = document["paths"]
    assert "candidate_busy" in paths["/api/v1/shifts"]["post"]["responses"]["409"]["description"]
    inject = paths["/api/v1/attempts/{attempt_id}/inject"]["post"]["responses"]["409"]
    assert "attempt_not_running" in inject["description"]
    push = paths["/api/v1/attempts/{attempt_id}/xapi/push"]["post"]["responses"]
    assert "lrs_not_configured" in push["503"]["description"]
    assert "busy" in push["503"]["description"]


def test_the_new_shift_and_room_fields_are_bounded(document):
    paths = document["paths"]
    patch = paths["/api/v1/shifts/{shift_id}"]["patch"]["requestBody"]["content"]
    fields = patch["application/json"]["schema"]["properties"]
    assert fields["name"]["maxLength"] == 120 and fields["name"]["minLength"] == 1
    assert None in fields["standard"]["enum"] and len(fields["standard"]["enum"]) > 1
    inject = paths["/api/v1/attempts/{attempt_id}/inject"]["post"]["requestBody"]["content"]
    fields = inject["application/json"]["schema"]["properties"]
    assert set(fields["kind"]["enum"]) >= {"call", "email", "sms", "chat"}
    assert fields["body"]["maxLength"] == 20000
    for name in ("event", "party", "subject"):
        assert "maxLength" in fields[name], name


def _query_parameters(document):
    for label, operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield label, parameter


def test_an_optional_query_parameter_may_be_sent_empty_as_the_api_reads_it(document):
    """The API reads `?client_id=` as no `client_id` (crm.validation.Fields): the document says
    so, else a client following it would believe the empty value refused (schemathesis'
    negative checks found `?offset=`, `?client_id=` and `?standard=` accepted, undeclared)."""
    for label, parameter in _query_parameters(document):
        if parameter["required"]:
            assert "allowEmptyValue" not in parameter, (label, parameter["name"])
        else:
            assert parameter.get("allowEmptyValue") is True, (label, parameter["name"])


@pytest.mark.parametrize(
    "path", ["/calls?offset=", "/payment-plans?client_id=", "/credit-notes?client_id=&limit=5"]
)
def test_an_empty_optional_query_parameter_reads_as_absent(api, attempt, path):
    candidate = api.as_("candidat1")
    response = candidate.client.get("/api/v1" + path, headers=candidate._headers())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] >= 0


def _storable_names(schema: dict) -> str:
    return schema["propertyNames"]["pattern"]


def test_the_document_refuses_a_nul_in_a_property_name_as_the_boundary_does(document, api, attempt):
    """Extra properties of a body are ignored but must be storable, their names included
    (crm.boundary.values.json_problems): a NUL in a name is a 422, and the document says so
    (schemathesis found such a body, valid for the document, refused)."""
    body = document["paths"]["/api/v1/orders"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    storable = document["components"]["schemas"]["Storable"]
    nested = next(s for s in storable["anyOf"] if s.get("type") == "object")
    for pattern in (_storable_names(schema), _storable_names(nested)):
        assert re.fullmatch(pattern, "note")
        assert not re.fullmatch(pattern, "no\x00te")
    candidate = api.as_("candidat1")
    for extra in ({"a\x00": 1}, {"meta": {"b\x00": None}}):
        response = candidate.post("/orders", {"client_id": 1, **extra})
        assert response.status_code == 422, response.get_json()
