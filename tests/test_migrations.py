"""The migrations build exactly the schema the models describe, and undo it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from crm.app import create_app
from crm.extensions import db
from tests.conftest import postgres_database


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
    _round_trip(postgres_database("plateau_migrations", fresh=True))
