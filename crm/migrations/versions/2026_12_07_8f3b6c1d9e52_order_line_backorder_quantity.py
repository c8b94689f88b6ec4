"""Order lines: how many sale units are back-ordered

Confirmation used to clamp stock at 0 and confirm lines it could not fill without marking
them back-ordered. A line now says how many of its units ship at the restock date; lines
already back-ordered at entry are back-ordered whole.

Revision ID: 8f3b6c1d9e52
Revises: 5d1e8a7c2b40
Create Date: 2026-12-07 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f3b6c1d9e52'
down_revision = '5d1e8a7c2b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('backorder_quantity', sa.Integer(), server_default='0', nullable=False)
        )
    op.execute("UPDATE order_line SET backorder_quantity = quantity WHERE backorder")
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_order_line_backorder_quantity'),
            'backorder_quantity >= 0 AND backorder_quantity <= quantity'
        )


def downgrade():
    with op.batch_alter_table('order_line', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_order_line_backorder_quantity'), type_='check')
        batch_op.drop_column('backorder_quantity')
