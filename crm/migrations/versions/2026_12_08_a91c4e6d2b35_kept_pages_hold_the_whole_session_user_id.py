"""Kept pages hold the whole session user id

A kept page remembers its session's user as Flask-Login's `_user_id`, "<id>:<session token>":
64 hex characters of token after the id, longer than the 64 characters the column allowed.
SQLite stores it anyway; PostgreSQL refused it, so every refused form of a logged-in user was a
500 there (crm.prg). The column becomes text.

Revision ID: a91c4e6d2b35
Revises: d5a8c3e1f207
Create Date: 2026-12-08 02:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a91c4e6d2b35"
down_revision = "d5a8c3e1f207"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("kept_page", schema=None) as batch_op:
        batch_op.alter_column(
            "user", existing_type=sa.String(length=64), type_=sa.Text(), existing_nullable=True
        )


def downgrade():
    # Kept pages live a few minutes: those whose user would not fit are dropped, not cut.
    op.execute(sa.text('DELETE FROM kept_page WHERE length("user") > 64'))
    with op.batch_alter_table("kept_page", schema=None) as batch_op:
        batch_op.alter_column(
            "user", existing_type=sa.Text(), type_=sa.String(length=64), existing_nullable=True
        )
