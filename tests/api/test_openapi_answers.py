"""The OpenAPI document's answers: every operation's statuses, their shapes and headers."""

from __future__ import annotations

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
