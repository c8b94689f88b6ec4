"""The migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from crm.app import create_app
from crm.extensions import db

PG_ADMIN_URL = os.environ.get(
    "PLATEAU_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _round_trip(url: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], differences
        downgrade(revision="base")
        names = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert names == set()
        db.engine.dispose()


def test_migrations_match_the_models_on_sqlite(tmp_path):
    _round_trip(f"sqlite:///{tmp_path}/migrations.db")


@pytest.mark.postgres
def test_migrations_match_the_models_on_postgres():
    database = "plateau_migrations"
    try:
        engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'drop database if exists "{database}"'))
            conn.execute(sa.text(f'create database "{database}"'))
        engine.dispose()
    except Exception as error:  # unreachable server
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")
    _round_trip(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + database)
