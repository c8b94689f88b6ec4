"""Role-play: who plays the customer of a call or a written conversation

A trainer or an evaluator takes a customer's part in the live role-play; one row per call or
conversation taken (one player each), in the attempt's world.

Revision ID: c631d19c5611
Revises: a1d3c5e7f902
Create Date: 2026-12-07 14:57:41.761020

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c631d19c5611"
down_revision = "a1d3c5e7f902"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "role_play",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("player_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(call_id is null) <> (conversation_id is null)", name=op.f("ck_role_play_one_object")
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempt.id"],
            name=op.f("fk_role_play_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_role_play_call_id_call"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_role_play_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["player_id"], ["user.id"], name=op.f("fk_role_play_player_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_play")),
        sa.UniqueConstraint("call_id", name=op.f("uq_role_play_call_id")),
        sa.UniqueConstraint("conversation_id", name=op.f("uq_role_play_conversation_id")),
    )
    with op.batch_alter_table("role_play", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_play_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_role_play_player_id"), ["player_id"], unique=False)


def downgrade():
    with op.batch_alter_table("role_play", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_play_player_id"))
        batch_op.drop_index(batch_op.f("ix_role_play_attempt_id"))

    op.drop_table("role_play")
