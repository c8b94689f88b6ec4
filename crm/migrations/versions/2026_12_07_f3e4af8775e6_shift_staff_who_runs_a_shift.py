"""Shift staff: the trainers and evaluators added to the people who run a shift

The trainer who opened a shift runs it (shift.created_by_id); others are added here. The room
and the role-play console show a shift only to the people who run it.

Revision ID: f3e4af8775e6
Revises: 92add625c802
Create Date: 2026-12-07 16:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f3e4af8775e6"
down_revision = "92add625c802"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shift_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shift.id"],
            name=op.f("fk_shift_staff_shift_id_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_shift_staff_user_id_user")),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["user.id"], name=op.f("fk_shift_staff_added_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_staff")),
        sa.UniqueConstraint("shift_id", "user_id", name="uq_shift_staff_user"),
    )
    with op.batch_alter_table("shift_staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_staff_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shift_staff_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("shift_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_staff_user_id"))
        batch_op.drop_index(batch_op.f("ix_shift_staff_shift_id"))
    op.drop_table("shift_staff")
