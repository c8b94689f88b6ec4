"""every shift has its standard: fill the shifts opened without one

Shifts used to be opened without a standard: the candidate then self-assessed against MC ACVAD
(the end-of-shift default) while the bench opened on « — ». Shifts are now opened with their
standard (crm.training.models.DEFAULT_STANDARD unless chosen); this fills the older ones with
that same default, which is what their candidates were shown.

Revision ID: a1d3c5e7f902
Revises: 8f3b6c1d9e52
Create Date: 2026-12-07 14:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1d3c5e7f902'
down_revision = '8f3b6c1d9e52'
branch_labels = None
depends_on = None

#: crm.training.models.DEFAULT_STANDARD when this migration was written (a migration does not
#: import the application's code, which keeps changing).
DEFAULT_STANDARD = "mc-acvad-referentiel-certification"


def upgrade():
    shift = sa.table("shift", sa.column("standard", sa.String(64)))
    op.execute(
        shift.update().where(shift.c.standard.is_(None)).values(standard=DEFAULT_STANDARD)
    )


def downgrade():
    # Which shifts had no standard is not kept: they keep the one they were assessed against,
    # which the code before this revision also read (as its default).
    pass
