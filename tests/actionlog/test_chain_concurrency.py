"""Concurrent writers of one attempt never fork its chain (SQLite file and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from crm.actionlog.services import Ctx, record, verify_chain
from crm.app import create_app
from crm.extensions import db
from crm.training.models import Attempt
from tests.conftest import postgres_database

WRITERS = 4
ACTIONS_PER_WRITER = 15


def _hammer(url: str, make_user_and_attempt) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        attempt_id = make_user_and_attempt()
        errors = []

        def writer(index: int) -> None:
            with app.app_context():
                try:
                    for n in range(ACTIONS_PER_WRITER):
                        attempt = db.session.get(Attempt, attempt_id)
                        record(
                            Ctx(attempt, None, "system"),
                            "kb.searched",
                            payload={"writer": index, "n": n},
                        )
                        db.session.commit()
                except Exception as error:  # reported below
                    errors.append(error)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, errors
        attempt = db.session.get(Attempt, attempt_id)
        report = verify_chain(attempt)
        assert report.valid, report
        assert report.checked == 1 + WRITERS * ACTIONS_PER_WRITER
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _make_attempt():
    from crm.auth.services import create_user
    from crm.training.services import create_shift

    shift = create_shift("bureau-direct", [create_user("c1", "long password", "candidate")])
    attempt_id = shift.attempts[0].id
    # End the transaction: it holds SQLite's write lock since it wrote.
    db.session.commit()
    db.session.remove()
    return attempt_id


def test_sqlite_file_writers_serialise(tmp_path):
    _hammer(f"sqlite:///{tmp_path}/chain.db", _make_attempt)


@pytest.mark.postgres
def test_postgres_writers_serialise_on_the_attempt_row():
    _hammer(postgres_database("plateau_concurrency"), _make_attempt)
