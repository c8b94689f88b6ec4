"""After-sales: deliveries and carrier events, returns, credit notes, refunds; orders paid and
returned, and the day an order was delivered (the withdrawal period runs from it)

Revision ID: 92add625c802
Revises: 3a9c5e7f1b24
Create Date: 2026-12-07 16:28:59.576769

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '92add625c802'
down_revision = '3a9c5e7f1b24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('shipped_on', sa.Date(), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=True),
    sa.Column('investigation_reference', sa.String(length=24), nullable=True),
    sa.Column('investigation_opened_at', sa.DateTime(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status in ('preparing', 'in_transit', 'out_for_delivery', 'delivered', 'incident', 'investigating', 'replaced')", name=op.f('ck_delivery_status')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_delivery_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_delivery_order_id_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['delivery.id'], name=op.f('fk_delivery_replaced_by_id_delivery'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery')),
    sa.UniqueConstraint('attempt_id', 'tracking_number', name='uq_delivery_attempt_tracking')
    )
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_order_id'), ['order_id'], unique=False)

    op.create_table('order_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('label_code', sa.String(length=24), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('authorised_at', sa.DateTime(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status in ('authorised', 'credited', 'cancelled')", name=op.f('ck_order_return_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_order_return_amount')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_order_return_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_order_return_client_id_client')),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_order_return_order_id_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_return')),
    sa.UniqueConstraint('attempt_id', 'number', name='uq_order_return_attempt_number')
    )
    with op.batch_alter_table('order_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_return_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_return_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_return_order_id'), ['order_id'], unique=False)

    op.create_table('credit_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('return_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind in ('return', 'goodwill')", name=op.f('ck_credit_note_kind')),
    sa.CheckConstraint("status in ('issued', 'refunded')", name=op.f('ck_credit_note_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_credit_note_amount')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_credit_note_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_credit_note_client_id_client')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_credit_note_invoice_id_invoice'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], name=op.f('fk_credit_note_order_id_order'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['return_id'], ['order_return.id'], name=op.f('fk_credit_note_return_id_order_return'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_note')),
    sa.UniqueConstraint('attempt_id', 'number', name='uq_credit_note_attempt_number')
    )
    with op.batch_alter_table('credit_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_note_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_note_client_id'), ['client_id'], unique=False)

    op.create_table('delivery_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('incident', sa.String(length=20), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'incident') = (incident is not null) and (incident is null or incident in ('lost', 'damaged', 'delayed', 'address_problem'))", name=op.f('ck_delivery_event_incident')),
    sa.CheckConstraint("kind in ('picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'incident')", name=op.f('ck_delivery_event_kind')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_delivery_event_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_event_delivery_id_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_event'))
    )
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_event_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_event_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('return_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_return_line_quantity')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_return_line_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_line.id'], name=op.f('fk_return_line_order_line_id_order_line'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['return_id'], ['order_return.id'], name=op.f('fk_return_line_return_id_order_return'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_line'))
    )
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_line_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_line_return_id'), ['return_id'], unique=False)

    op.create_table('refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_note_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('masked_card', sa.String(length=24), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_refund_amount')),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_refund_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_refund_client_id_client')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_note.id'], name=op.f('fk_refund_credit_note_id_credit_note'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_refund_payment_id_payment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund'))
    )
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_credit_note_id'), ['credit_note_id'], unique=False)

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_on', sa.Date(), nullable=True))
        batch_op.drop_constraint(op.f('ck_order_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_order_status'),
            "status in ('draft', 'confirmed', 'paid', 'shipped', 'delivered', 'returned', "
            "'cancelled')",
        )


def downgrade():
    # The statuses the earlier schema knows: paid was confirmed, returned was delivered.
    op.execute("UPDATE \"order\" SET status = 'confirmed' WHERE status = 'paid'")
    op.execute("UPDATE \"order\" SET status = 'delivered' WHERE status = 'returned'")
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_order_status'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_order_status'),
            "status in ('draft', 'confirmed', 'shipped', 'delivered', 'cancelled')",
        )
        batch_op.drop_column('delivered_on')

    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refund_credit_note_id'))
        batch_op.drop_index(batch_op.f('ix_refund_client_id'))
        batch_op.drop_index(batch_op.f('ix_refund_attempt_id'))

    op.drop_table('refund')
    with op.batch_alter_table('return_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_line_return_id'))
        batch_op.drop_index(batch_op.f('ix_return_line_attempt_id'))

    op.drop_table('return_line')
    with op.batch_alter_table('delivery_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_event_delivery_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_event_attempt_id'))

    op.drop_table('delivery_event')
    with op.batch_alter_table('credit_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_note_client_id'))
        batch_op.drop_index(batch_op.f('ix_credit_note_attempt_id'))

    op.drop_table('credit_note')
    with op.batch_alter_table('order_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_return_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_return_client_id'))
        batch_op.drop_index(batch_op.f('ix_order_return_attempt_id'))

    op.drop_table('order_return')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_order_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_attempt_id'))

    op.drop_table('delivery')
