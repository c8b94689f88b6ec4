"""xAPI pushes: each successful push of an attempt's statements to the LRS

Revision ID: d7bd2f0a3a72
Revises: 9bea147f2ade
Create Date: 2026-11-25 10:41:39.294190

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7bd2f0a3a72'
down_revision = '9bea147f2ade'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('xapi_push',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('pushed_by_id', sa.Integer(), nullable=True),
    sa.Column('pushed_at', sa.DateTime(), nullable=False),
    sa.Column('endpoint', sa.String(length=255), nullable=False),
    sa.Column('statements', sa.Integer(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('log_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_xapi_push_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pushed_by_id'], ['user.id'], name=op.f('fk_xapi_push_pushed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xapi_push'))
    )
    with op.batch_alter_table('xapi_push', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_push_attempt_id'), ['attempt_id'], unique=False)



def downgrade():
    with op.batch_alter_table('xapi_push', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_push_attempt_id'))

    op.drop_table('xapi_push')
