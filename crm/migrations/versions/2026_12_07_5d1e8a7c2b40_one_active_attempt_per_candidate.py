"""One active attempt per candidate: close the attempts of ended shifts, then enforce it

Ending a shift used to leave its attempts active, so a candidate put in a new shift had two
active attempts. The data is mended first (attempts of ended shifts become closed; a candidate
still holding several active attempts keeps the newest), then a partial unique index makes the
database refuse any second active attempt.

The mended attempts get no `attempt.closed` action: a migration cannot extend the hash-chained
log (it would need the application's canonical hashing); their shift's end is their record.

Revision ID: 5d1e8a7c2b40
Revises: 5e1c0a7d2b94
Create Date: 2026-12-07 13:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e8a7c2b40'
down_revision = '5e1c0a7d2b94'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'active'")


def upgrade():
    op.execute(
        "UPDATE attempt SET status = 'closed' WHERE status = 'active' "
        "AND shift_id IN (SELECT id FROM shift WHERE status = 'ended')"
    )
    # Several running shifts could also hold one candidate: the newest attempt stays active
    # (the one the desk already showed: crm.training.services.current_attempt).
    op.execute(
        "UPDATE attempt SET status = 'closed' WHERE status = 'active' AND id < "
        "(SELECT MAX(newer.id) FROM attempt AS newer "
        "WHERE newer.candidate_id = attempt.candidate_id AND newer.status = 'active')"
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(
            'uq_attempt_one_active_per_candidate',
            ['candidate_id'],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )


def downgrade():
    # Closed attempts stay closed: which of them were left active before cannot be known.
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_attempt_one_active_per_candidate',
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )
