"""Client search keys: the folded words and the phone forms a search compares, on the row

A client search used to load every client of the attempt with its phones and contact persons
and compare them in Python. The row now carries what is compared, so the database filters.
Existing files get their keys here, computed by the same functions the application uses.

Revision ID: 3a9c5e7f1b24
Revises: c631d19c5611
Create Date: 2026-12-07 15:00:00.000000

"""
from types import SimpleNamespace

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a9c5e7f1b24'
down_revision = 'c631d19c5611'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_words', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(
            sa.Column('search_phones', sa.Text(), server_default='', nullable=False)
        )
    _backfill()


def _backfill():
    """Compute the keys of the files already there (the application's own functions)."""
    from crm.clients.search import phones_key, words_key

    bind = op.get_bind()
    clients = {
        row.id: SimpleNamespace(**row._mapping, phones=[], contact_persons=[])
        for row in bind.execute(
            sa.text(
                "SELECT id, number, last_name, first_name, company_name, email FROM client"
            )
        )
    }
    for row in bind.execute(sa.text("SELECT client_id, e164 FROM client_phone ORDER BY id")):
        clients[row.client_id].phones.append(SimpleNamespace(e164=row.e164))
    persons = "SELECT client_id, first_name, last_name, email, phone FROM contact_person ORDER BY id"
    for row in bind.execute(sa.text(persons)):
        clients[row.client_id].contact_persons.append(SimpleNamespace(**row._mapping))
    update = sa.text("UPDATE client SET search_words = :words, search_phones = :phones WHERE id = :id")
    values = [
        {"id": c.id, "words": words_key(c), "phones": phones_key(c)} for c in clients.values()
    ]
    if values:
        bind.execute(update, values)


def downgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('search_phones')
        batch_op.drop_column('search_words')
