"""The migration to session generations and expiring tokens keeps every user and what
references them, gives each user a generation of their own and expires the old tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import upgrade

from crm.app import create_app
from crm.extensions import db

BEFORE = "0147dd96a4cc"
REVISION = "5e1c0a7d2b94"


def test_upgrade_keeps_users_and_their_tokens(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            for name in ("formateur", "candidat1"):
                conn.execute(
                    sa.text(
                        "insert into user (username, display_name, role, password_hash, active,"
                        " failed_logins, created_at) values (:n, :n, 'trainer', 'x', 1, 0,"
                        " '2026-01-01 00:00:00')"
                    ),
                    {"n": name},
                )
            conn.execute(
                sa.text(
                    "insert into api_token (user_id, token_hash, created_at)"
                    " values (1, 'h', '2026-01-01 08:00:00')"
                )
            )
        upgrade(revision=REVISION)
        with db.engine.connect() as conn:
            users = conn.execute(sa.text("select username, session_token from user")).all()
            tokens = conn.execute(sa.text("select created_at, expires_at from api_token")).all()
        db.engine.dispose()
    assert [u.username for u in users] == ["formateur", "candidat1"]
    generations = {u.session_token for u in users}
    assert len(generations) == 2 and all(len(g) == 64 for g in generations)
    assert len(tokens) == 1 and tokens[0].expires_at == tokens[0].created_at
