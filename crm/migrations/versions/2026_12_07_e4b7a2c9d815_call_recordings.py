"""Call recordings: the audio of a voiced call, one file per call, referenced from a row

Both sides of a call a person played by voice, uploaded by the role-player's browser at
hang-up; the file lives under the instance folder, the row keeps its path, type, size,
SHA-256 (also in the log's `call.recorded`) and the call's duration.

Revision ID: e4b7a2c9d815
Revises: 94e5b96f6bd4
Create Date: 2026-12-07 16:40:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e4b7a2c9d815"
down_revision = "94e5b96f6bd4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "call_recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=20), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("duration", sa.Float(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_call_recording_size")),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_call_recording_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_call_recording_call_id_call"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user.id"], name=op.f("fk_call_recording_recorded_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_recording")),
        sa.UniqueConstraint("call_id", name=op.f("uq_call_recording_call_id")),
    )
    with op.batch_alter_table("call_recording", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_recording_attempt_id"), ["attempt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_recording_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_recording_recorded_by_id"), ["recorded_by_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("call_recording", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_recording_recorded_by_id"))
        batch_op.drop_index(batch_op.f("ix_call_recording_created_at"))
        batch_op.drop_index(batch_op.f("ix_call_recording_attempt_id"))

    op.drop_table("call_recording")
