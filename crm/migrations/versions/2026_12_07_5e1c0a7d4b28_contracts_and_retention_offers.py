"""Contracts and retention offers: a client's subscriptions, the offers made to keep them

A pack's clients may hold contracts (plan, monthly price, commitment); the adviser makes the
pack's retention offers on them and registers cancellations (crm.contracts).

Revision ID: 5e1c0a7d4b28
Revises: b7e2f4a9c130
Create Date: 2026-12-07 20:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e1c0a7d4b28"
down_revision = "b7e2f4a9c130"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=120), nullable=False),
        sa.Column("monthly_price", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("commitment_ends_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("cancellation_effective_on", sa.Date(), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=False),
        sa.Column("cancellation_confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempt.id"], name=op.f("fk_contract_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_contract_client_id_client")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("attempt_id", "number", name="uq_contract_attempt_number"),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_client_id"), ["client_id"], unique=False)
    op.create_table(
        "retention_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("offer_key", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempt.id"], name=op.f("fk_retention_offer_attempt_id_attempt"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"],
            name=op.f("fk_retention_offer_contract_id_contract"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_offer")),
    )
    with op.batch_alter_table("retention_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_retention_offer_attempt_id"), ["attempt_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_retention_offer_contract_id"), ["contract_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("retention_offer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retention_offer_contract_id"))
        batch_op.drop_index(batch_op.f("ix_retention_offer_attempt_id"))
    op.drop_table("retention_offer")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_client_id"))
        batch_op.drop_index(batch_op.f("ix_contract_attempt_id"))
    op.drop_table("contract")
