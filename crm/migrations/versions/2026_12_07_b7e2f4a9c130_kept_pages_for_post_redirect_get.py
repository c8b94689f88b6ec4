"""Post/Redirect/Get: kept pages in the database, seen by every serving process

A form's refused POST is answered with a redirect; the page shown at the GET address waits in
this table (a few minutes, once) instead of one process's memory, so that several serving
processes need no sticky session for it (crm.prg).

Revision ID: b7e2f4a9c130
Revises: b7e41f0c9a3d
Create Date: 2026-12-07 16:45:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7e2f4a9c130"
down_revision = "b7e41f0c9a3d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_page",
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_kept_page")),
    )
    with op.batch_alter_table("kept_page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_page_kept_at"), ["kept_at"], unique=False)


def downgrade():
    # Pages wait a few minutes at most: dropping them loses only typed values of a refused form.
    with op.batch_alter_table("kept_page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_page_kept_at"))
    op.drop_table("kept_page")
