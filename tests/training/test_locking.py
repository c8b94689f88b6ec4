"""A candidate's write request takes its attempt's lock before reading; reads never wait."""

from __future__ import annotations

import pytest

from crm.training import locking, services


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
    """The candidate's context finds the attempt with the lock on a write, without it on a
    read, in one statement (`locking.locked_by`)."""
    taken = []
    real = services.locked_by

    def spy(statement, params=None):
        found = real(statement, params)
        taken.append(found.id)
        return found

    monkeypatch.setattr(services, "locked_by", spy)
    cand = api.as_("candidat1")
    cand.get("/phone")
    assert taken == []
    cand.post("/phone/state", {"state": "ready"})
    assert taken == [attempt.id]


def test_the_attempt_found_with_the_lock_counts_as_locked(app, attempt, people):
    """What `locked_by` found is locked for the rest of the transaction: recording an action
    reads the attempt no more."""
    import sqlalchemy as sa

    from crm.db import db

    with app.test_request_context("/", method="POST"):
        found = services.current_attempt(people["cand1"], lock=True)
        assert found.id == attempt.id
        statements = []
        engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            assert locking.locked_attempt(attempt.id) is found
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        assert statements == []
