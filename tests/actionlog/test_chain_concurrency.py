"""Concurrent writers of one attempt never fork its chain (SQLite file and PostgreSQL)."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa

from crm.actionlog.services import Ctx, record, verify_chain
from crm.app import create_app
from crm.extensions import db
from crm.training.models import Attempt

WRITERS = 4
ACTIONS_PER_WRITER = 15
PG_ADMIN_URL = os.environ.get(
    "PLATEAU_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_DATABASE = "plateau_concurrency"


def _postgres_url() -> str:
    """A dedicated database for this test; skipped locally, required in CI."""
    try:
        engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            exists = conn.scalar(
                sa.text("select 1 from pg_database where datname = :n"), {"n": PG_DATABASE}
            )
            if not exists:
                conn.execute(sa.text(f'create database "{PG_DATABASE}"'))
        engine.dispose()
    except Exception as error:  # unreachable server, missing driver
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE


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
    # End the transaction: on SQLite every transaction is IMMEDIATE and holds the write lock.
    db.session.commit()
    db.session.remove()
    return attempt_id


def test_sqlite_file_writers_serialise(tmp_path):
    _hammer(f"sqlite:///{tmp_path}/chain.db", _make_attempt)


@pytest.mark.postgres
def test_postgres_writers_serialise_on_the_attempt_row():
    _hammer(_postgres_url(), _make_attempt)
