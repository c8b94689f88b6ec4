"""Product warranties: months from delivery, and extension contracts that add months

A product may carry its own warranty (`warranty_months`) or be a warranty extension contract
sold on the same order (`extends_warranty_months`); crm.aftersales.warranty computes each
order line's end of warranty from them and the order's delivery date.

Revision ID: d5a8c3e1f942
Revises: 5e1c0a7d4b28
Create Date: 2026-12-07 20:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d5a8c3e1f942"
down_revision = "5e1c0a7d4b28"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("warranty_months", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("extends_warranty_months", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            "warranty_months", "warranty_months between 1 and 240"
        )
        batch_op.create_check_constraint(
            "extends_warranty_months", "extends_warranty_months between 1 and 240"
        )


def downgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_constraint("extends_warranty_months", type_="check")
        batch_op.drop_constraint("warranty_months", type_="check")
        batch_op.drop_column("extends_warranty_months")
        batch_op.drop_column("warranty_months")
