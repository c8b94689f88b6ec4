"""Session generations, expiring API tokens and login throttling per address and account

Revision ID: 5e1c0a7d2b94
Revises: 0147dd96a4cc
Create Date: 2026-12-07 13:50:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c0a7d2b94'
down_revision = '0147dd96a4cc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_failure_failed_at'), ['failed_at'], unique=False)
        batch_op.create_index('ix_login_failure_key_failed_at', ['key', 'failed_at'], unique=False)

    # `user` is altered in place, never recreated (batch mode): on SQLite, with foreign keys on,
    # dropping the old table would delete or refuse every row that references a user.
    op.add_column('user', sa.Column('session_token', sa.String(length=64), nullable=False, server_default=''))
    # Each existing user gets a session generation of their own; sessions opened before the
    # upgrade name no generation and end.
    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in conn.execute(sa.select(user.c.id)).all():
        conn.execute(
            user.update().where(user.c.id == user_id).values(session_token=secrets.token_hex(32))
        )
    # Throttling per address and account (login_failure) replaces the lock per account.
    op.drop_column('user', 'failed_logins')
    op.drop_column('user', 'locked_until')

    # Tokens issued before had no lifetime: they expire now. (Nothing references api_token, so
    # batch mode may recreate it.)
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    token = sa.table('api_token', sa.column('created_at', sa.DateTime), sa.column('expires_at', sa.DateTime))
    conn.execute(token.update().values(expires_at=token.c.created_at))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_column('last_used_at')


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.drop_column('expires_at')

    op.add_column('user', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.add_column('user', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.drop_column('user', 'session_token')

    with op.batch_alter_table('login_failure', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failure_key_failed_at')
        batch_op.drop_index(batch_op.f('ix_login_failure_failed_at'))
    op.drop_table('login_failure')
