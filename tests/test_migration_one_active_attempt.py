"""The one-active-attempt migration mends existing data, then the database enforces the rule."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from crm.app import create_app
from crm.extensions import db
from tests.conftest import postgres_database

BEFORE = "5e1c0a7d2b94"
REVISION = "5d1e8a7c2b40"
NOW = "2026-12-01 09:00:00"


def _insert(conn, table: str, **values) -> None:
    names = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join(f":{name}" for name in values)
    conn.execute(sa.text(f'INSERT INTO "{table}" ({names}) VALUES ({marks})'), values)


def _user(conn, user_id: int) -> None:
    _insert(
        conn, "user", id=user_id, username=f"c{user_id}", display_name=f"C{user_id}",
        role="candidate", password_hash="x", active=True, created_at=NOW,
    )  # fmt: skip


def _shift(conn, shift_id: int, status: str) -> None:
    _insert(
        conn, "shift", id=shift_id, name=f"S{shift_id}", scenario="bureau-direct",
        mode="scripted", status=status, exam_mode=False, created_at=NOW, paused_seconds=0,
    )  # fmt: skip


def _attempt(conn, attempt_id: int, shift_id: int, candidate_id: int, status="active") -> None:
    _insert(
        conn, "attempt", id=attempt_id, shift_id=shift_id, candidate_id=candidate_id,
        number=attempt_id,
        status=status, world_date="2026-12-01", created_at=NOW, chain_head="0" * 64,
        action_count=0, settings="{}",
    )  # fmt: skip


def _statuses(conn) -> dict[int, str]:
    return dict(conn.execute(sa.text("SELECT id, status FROM attempt")).all())


def _mend_then_enforce(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for user_id in (1, 2, 3):
                _user(conn, user_id)
            _shift(conn, 10, "ended")
            _shift(conn, 11, "running")
            _shift(conn, 12, "running")
            _attempt(conn, 100, 10, 1)  # left active by an ended shift
            _attempt(conn, 101, 11, 1)  # candidate 1's current attempt
            _attempt(conn, 102, 11, 2)  # two running shifts: the older one is closed
            _attempt(conn, 103, 12, 2)
            _attempt(conn, 104, 10, 3, status="superseded")  # untouched
        upgrade(revision=REVISION)
        with db.engine.begin() as conn:
            assert _statuses(conn) == {
                100: "closed",
                101: "active",
                102: "closed",
                103: "active",
                104: "superseded",
            }
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            _attempt(conn, 105, 12, 1)
        with db.engine.begin() as conn:
            _attempt(conn, 106, 12, 3)  # no other active attempt: accepted
            _attempt(conn, 107, 12, 1, status="closed")  # closed ones are not counted
        downgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            _attempt(conn, 108, 12, 1)  # the index is gone
        db.engine.dispose()


def test_migration_closes_attempts_of_ended_shifts_then_enforces_one_active_on_sqlite(tmp_path):
    _mend_then_enforce(f"sqlite:///{tmp_path}/mend.db")


@pytest.mark.postgres
def test_migration_closes_attempts_of_ended_shifts_then_enforces_one_active_on_postgres():
    _mend_then_enforce(postgres_database("plateau_one_active_attempt", fresh=True))
