"""Shift campaign: the outbound campaign a trainer sets up for a shift before it starts

Target filters, qualification codes, call guide, calling rules (windows, attempts, spacing,
after-call work maximum) and goal; copied into each attempt's world when the shift starts.

Revision ID: 94e5b96f6bd4
Revises: f3e4af8775e6
Create Date: 2026-12-07 17:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "94e5b96f6bd4"
down_revision = "f3e4af8775e6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shift_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("base_key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("qualification_codes", sa.JSON(), nullable=False),
        sa.Column("call_guide", sa.JSON(), nullable=False),
        sa.Column("windows", sa.JSON(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("min_spacing_minutes", sa.Integer(), nullable=False),
        sa.Column("after_call_work_seconds", sa.Integer(), nullable=False),
        sa.Column("goal_codes", sa.JSON(), nullable=False),
        sa.Column("goal_count", sa.Integer(), nullable=True),
        sa.Column("goal_rate", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "after_call_work_seconds >= 1", name=op.f("ck_shift_campaign_after_call_work_seconds")
        ),
        sa.CheckConstraint("max_attempts >= 1", name=op.f("ck_shift_campaign_max_attempts")),
        sa.CheckConstraint(
            "min_spacing_minutes >= 0", name=op.f("ck_shift_campaign_min_spacing_minutes")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shift.id"],
            name=op.f("fk_shift_campaign_shift_id_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user.id"], name=op.f("fk_shift_campaign_updated_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_campaign")),
        sa.UniqueConstraint("shift_id", name=op.f("uq_shift_campaign_shift_id")),
    )


def downgrade():
    op.drop_table("shift_campaign")
