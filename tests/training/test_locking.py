"""A candidate's write request takes its attempt's lock before reading; reads never wait."""

from __future__ import annotations

import pytest

from crm.training import locking


@pytest.mark.parametrize(
    ("method", "locks"),
    [("POST", True), ("PUT", True), ("PATCH", True), ("DELETE", True), ("GET", False)],
)
def test_write_requests_lock_the_attempt_first(app, monkeypatch, method, locks):
    taken = []
    monkeypatch.setattr(locking, "lock_attempt", taken.append)
    with app.test_request_context("/", method=method):
        locking.lock_for_write(7)
    assert taken == ([7] if locks else [])


def test_a_candidate_api_write_locks_through_the_candidate_context(api, attempt, monkeypatch):
    taken = []
    monkeypatch.setattr(locking, "lock_attempt", taken.append)
    cand = api.as_("candidat1")
    cand.get("/phone")
    assert taken == []
    cand.post("/phone/state", {"state": "ready"})
    assert taken == [attempt.id]
