"""A real LRS (Ralph) receives an attempt's statements and returns them.

Needs PLATEAU_TEST_LRS_URL (the LRS's xAPI root, e.g. http://127.0.0.1:8100/xAPI/) and its basic
auth PLATEAU_TEST_LRS_KEY / PLATEAU_TEST_LRS_SECRET; `.ci/run` starts Ralph and sets them.
Skipped without them; a failure when CI=true.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.db import db
from crm.evaluation.xapi.lrs import LrsClient, LrsConfig, LrsError
from crm.evaluation.xapi.statements import attempt_statements, registration
from crm.training.models import Attempt

pytestmark = pytest.mark.lrs

LRS = {
    "XAPI_LRS_ENDPOINT": os.environ.get("PLATEAU_TEST_LRS_URL", ""),
    "XAPI_LRS_KEY": os.environ.get("PLATEAU_TEST_LRS_KEY", ""),
    "XAPI_LRS_SECRET": os.environ.get("PLATEAU_TEST_LRS_SECRET", ""),
}


def _absent(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"an LRS is required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def ralph(app) -> LrsClient:
    """The configured LRS, reachable and accepting our credentials (else skip / fail)."""
    if not LRS["XAPI_LRS_ENDPOINT"]:
        _absent("PLATEAU_TEST_LRS_URL is not set")
    app.config.update(LRS, XAPI_BATCH_SIZE=10)
    client = LrsClient(LrsConfig.from_app(app.config))
    try:
        client.get_statements(limit=1)
    except LrsError as error:
        _absent(f"LRS at {LRS['XAPI_LRS_ENDPOINT']} not usable: {error.message}")
    return client


def _stored(ralph: LrsClient, registration_id: str) -> dict[str, dict]:
    answer = ralph.get_statements(registration=registration_id, limit=500)
    assert not answer.get("more"), "more statements than one page: raise the limit"
    return {statement["id"]: statement for statement in answer["statements"]}


def test_ralph_accepts_and_returns_the_statements(api, sale, ralph):
    attempt = db.session.get(Attempt, sale.attempt_id)
    expected = attempt_statements(attempt)
    response = api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["push"]["statements"] == len(expected)

    stored = _stored(ralph, registration(attempt))
    assert set(stored) == {s["id"] for s in expected}
    for statement in expected:
        back = stored[statement["id"]]
        assert back["stored"] and back["authority"]  # the LRS's own stamp: it kept it
        for key, value in statement.items():
            assert back[key] == value, (key, statement["context"]["extensions"])

    # Pushing again is idempotent: same ids, same content, the LRS keeps one copy of each.
    again = api.as_("jury").post(f"/attempts/{sale.attempt_id}/xapi/push")
    assert again.status_code == 200, again.get_json()
    assert set(_stored(ralph, registration(attempt))) == set(stored)


def test_ralph_refuses_a_statement_that_changed_under_the_same_id(api, sale, ralph):
    """A log edited after a push yields a different statement under the same id: refused (409)."""
    jury = api.as_("jury")
    assert jury.post(f"/attempts/{sale.attempt_id}/xapi/push").status_code == 200
    db.session.execute(
        sa.update(Action)
        .where(Action.attempt_id == sale.attempt_id, Action.verb == "order.confirmed")
        .values(payload={"total": "0.01", "lines": []})
    )
    db.session.commit()
    response = jury.post(f"/attempts/{sale.attempt_id}/xapi/push")
    assert response.status_code == 502, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "lrs_refused" and error["lrs_status"] == 409
    assert error["lrs_message"] in error["message"]


def test_ralph_refuses_an_invalid_statement_and_says_why(ralph):
    broken = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://plateau.example"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": "https://plateau.example/attempts/0"},
    }
    with pytest.raises(LrsError) as refused:
        ralph.post_statements([broken])
    assert refused.value.code == "lrs_refused"
    assert 400 <= refused.value.details["lrs_status"] < 500
    assert refused.value.details["lrs_message"] not in ("", "—")
