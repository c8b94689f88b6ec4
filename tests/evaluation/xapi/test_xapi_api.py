"""GET /attempts/<id>/xapi, the push to an LRS (a local stand-in), its refusals, and the CLI."""

from __future__ import annotations

import base64
import json
import socket

import pytest
import sqlalchemy as sa

from crm.actionlog.services import verify_chain
from crm.db import db
from crm.evaluation.xapi.models import XapiPush
from crm.evaluation.xapi.statements import attempt_statements, registration
from crm.training.models import Attempt
from tests.evaluation.xapi.fake_lrs import FakeLrs


@pytest.fixture
def lrs(app):
    """A fake LRS, configured as the app's LRS with basic auth and batches of 5."""
    fake = FakeLrs().start()
    app.config.update(
        XAPI_LRS_ENDPOINT=fake.endpoint,
        XAPI_LRS_KEY="plateau",
        XAPI_LRS_SECRET="s3cret",
        XAPI_BATCH_SIZE=5,
    )
    yield fake
    fake.stop()


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


def _pushes(attempt_id: int) -> int:
    query = sa.select(sa.func.count()).where(XapiPush.attempt_id == attempt_id)
    return db.session.scalar(query)


def _log_state(attempt_id: int) -> tuple[int, str]:
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    return attempt.action_count, attempt.chain_head


def test_statements_listed_in_log_order_with_paging(api, sale):
    jury = api.as_("jury")
    attempt = db.session.get(Attempt, sale.attempt_id)
    expected = attempt_statements(attempt)
    body = jury.get(f"/attempts/{sale.attempt_id}/xapi", limit=200).get_json()
    assert body == {
        "items": expected,
        "total": len(expected),
        "registration": registration(attempt),
    }
    page = jury.get(f"/attempts/{sale.attempt_id}/xapi", limit=5, offset=5).get_json()
    assert page["items"] == expected[5:10] and page["total"] == len(expected)
    trainer = api.as_("formateur")
    assert trainer.get(f"/attempts/{sale.attempt_id}/xapi").status_code == 200


def test_statements_refusals(api, client, sale, other_attempt):
    path = f"/attempts/{sale.attempt_id}/xapi"
    assert _error(client.get("/api/v1" + path), 401)["code"] == "unauthorized"
    assert _error(api.as_("candidat1").get(path), 403)["code"] == "forbidden"
    assert _error(api.as_("candidat2").get(f"/attempts/{other_attempt.id}/xapi"), 403)
    assert _error(api.as_("jury").get("/attempts/999999/xapi"), 404)["code"] == "not_found"
    assert "limit" in _error(api.as_("jury").get(path, limit=0), 422)["fields"]


def test_push_sends_every_statement_in_batches_with_auth_and_version(api, sale, lrs):
    before = _log_state(sale.attempt_id)
    response = api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    expected = attempt_statements(db.session.get(Attempt, sale.attempt_id))
    assert lrs.posted_statements() == expected
    assert len(lrs.received) == -(-len(expected) // 5)  # ceil: batches of 5
    for request in lrs.received:
        assert request.path == "/xAPI/statements"
        assert request.headers["X-Experience-API-Version"] == "1.0.3"
        token = base64.b64encode(b"plateau:s3cret").decode()
        assert request.headers["Authorization"] == f"Basic {token}"
        assert request.headers["Content-Type"].startswith("application/json")
    push = body["push"]
    assert push["statements"] == len(expected) and push["endpoint"] == lrs.endpoint
    assert push["last_seq"] == before[0] and push["log_hash"] == before[1]
    assert body["registration"] == expected[0]["context"]["registration"]
    # A push is evaluation data: the attempt's log did not move.
    assert _log_state(sale.attempt_id) == before
    assert verify_chain(db.session.get(Attempt, sale.attempt_id)).valid
    listed = api.as_("formateur").get(f"/attempts/{sale.attempt_id}/xapi/pushes").get_json()
    assert listed["total"] == 1 and listed["items"][0] == push


def test_a_second_push_sends_the_same_statements(api, sale, lrs):
    jury = api.as_("jury")
    assert jury.post(f"/attempts/{sale.attempt_id}/xapi/push").status_code == 200
    first = lrs.posted_statements()
    lrs.received.clear()
    lrs.answers = [(204, b"")]  # an LRS that already holds them all answers 204, no body
    assert jury.post(f"/attempts/{sale.attempt_id}/xapi/push").status_code == 200
    assert lrs.posted_statements() == first
    assert _pushes(sale.attempt_id) == 2


def test_lrs_refusal_is_a_502_with_its_message_and_nothing_recorded(api, sale, lrs):
    before = _log_state(sale.attempt_id)
    lrs.answers = [(400, {"detail": "Invalid statement: verb.id is not an IRI"})]
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 502)
    assert error["code"] == "lrs_refused"
    assert "verb.id is not an IRI" in error["message"] and "400" in error["message"]
    assert error["lrs_status"] == 400
    assert error["lrs_message"] == "Invalid statement: verb.id is not an IRI"
    assert _pushes(sale.attempt_id) == 0 and _log_state(sale.attempt_id) == before


def test_failure_on_a_later_batch_says_how_many_were_accepted(api, sale, lrs):
    lrs.answers = [(200, ["a"] * 5), (503, b"<html>Service Unavailable</html>")]
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 502)
    assert error["code"] == "lrs_refused" and error["lrs_status"] == 503
    assert error["accepted_before_failure"] == 5
    assert _pushes(sale.attempt_id) == 0


def test_an_answer_that_is_not_a_list_of_ids_is_refused(api, sale, lrs):
    lrs.answers = [(200, b"not json")]
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 502)
    assert error["code"] == "lrs_bad_answer"
    lrs.answers = [(200, {"ids": []})]
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 502)
    assert error["code"] == "lrs_bad_answer"
    assert _pushes(sale.attempt_id) == 0


def test_unreachable_lrs_is_a_502(api, app, sale):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(XAPI_LRS_ENDPOINT=f"http://127.0.0.1:{port}/xAPI/", XAPI_TIMEOUT=2)
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 502)
    assert error["code"] == "lrs_unreachable" and f"127.0.0.1:{port}" in error["message"]
    assert _pushes(sale.attempt_id) == 0


@pytest.mark.parametrize("endpoint", ["", "not a url", "ftp://lrs.example/xAPI/", "http:///xAPI"])
def test_missing_or_malformed_endpoint_is_a_503(api, app, sale, endpoint):
    app.config["XAPI_LRS_ENDPOINT"] = endpoint
    error = _error(api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push"), 503)
    assert error["code"] == "lrs_not_configured" and "XAPI_LRS_ENDPOINT" in error["message"]
    assert _pushes(sale.attempt_id) == 0


def test_push_refusals(api, app, sale, lrs):
    path = f"/attempts/{sale.attempt_id}/xapi/push"
    assert _error(api.as_("candidat1").post(path), 403)["code"] == "forbidden"
    assert _error(api.as_("jury").post("/attempts/999999/xapi/push"), 404)["code"] == "not_found"
    assert lrs.received == [] and _pushes(sale.attempt_id) == 0


def test_openapi_documents_the_xapi_endpoints(api, shift):
    paths = api.as_("jury").get("/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/attempts/{attempt_id}/xapi"]
    assert "post" in paths["/api/v1/attempts/{attempt_id}/xapi/push"]
    assert "get" in paths["/api/v1/attempts/{attempt_id}/xapi/pushes"]


@pytest.mark.parametrize("args", [["xapi", "--help"], ["xapi", "push", "--help"]])
def test_cli_help(runner, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "Usage" in result.output


def test_cli_push_and_statements(runner, sale, lrs):
    result = runner.invoke(args=["xapi", "push", str(sale.attempt_id)])
    assert result.exit_code == 0, result.output
    count = len(lrs.posted_statements())
    assert f"{count} statements accepted by {lrs.endpoint}" in result.output
    push = db.session.scalars(sa.select(XapiPush)).one()
    assert push.pushed_by_id is None and push.statements == count
    printed = runner.invoke(args=["xapi", "statements", str(sale.attempt_id)])
    assert printed.exit_code == 0 and json.loads(printed.output) == lrs.posted_statements()


def test_cli_refusals(runner, app, sale, lrs):
    lrs.answers = [(401, {"detail": "Invalid authentication credentials"})]
    result = runner.invoke(args=["xapi", "push", str(sale.attempt_id)])
    assert result.exit_code == 1 and "Invalid authentication credentials" in result.output
    assert _pushes(sale.attempt_id) == 0
    assert runner.invoke(args=["xapi", "push", "999999"]).exit_code == 1
    assert runner.invoke(args=["xapi", "statements", "999999"]).exit_code == 1
    app.config["XAPI_LRS_ENDPOINT"] = ""
    result = runner.invoke(args=["xapi", "push", str(sale.attempt_id)])
    assert result.exit_code == 1 and "XAPI_LRS_ENDPOINT" in result.output
