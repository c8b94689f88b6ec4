"""Generated documents (a client's invoice, order confirmation, plan as PDF) and timeline payments

A reply may attach the client's own documents generated from the world: each is stored as sent,
with its SHA-256. A scenario's timeline may script a payment (kind `payment`).

Revision ID: b7e41f0c9a3d
Revises: e4b7a2c9d815
Create Date: 2026-12-07 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import crm.db


# revision identifiers, used by Alembic.
revision = 'b7e41f0c9a3d'
down_revision = 'e4b7a2c9d815'
branch_labels = None
depends_on = None

OLD_KINDS = "kind in ('call', 'email', 'sms', 'chat', 'reply')"
NEW_KINDS = "kind in ('call', 'email', 'sms', 'chat', 'payment', 'reply')"


def upgrade():
    op.create_table('generated_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', crm.db.UTCDateTime(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind in ('invoice', 'order', 'plan')", name=op.f('ck_generated_document_kind')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_generated_document_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_generated_document_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_generated_document'))
    )
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_generated_document_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_generated_document_client_id'), ['client_id'], unique=False)
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_timeline_event_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_timeline_event_kind'), NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM timeline_event WHERE kind = 'payment'")
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_timeline_event_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_timeline_event_kind'), OLD_KINDS)
    with op.batch_alter_table('generated_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_generated_document_client_id'))
        batch_op.drop_index(batch_op.f('ix_generated_document_attempt_id'))
    op.drop_table('generated_document')
