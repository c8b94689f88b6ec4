"""Client search and file read from the database: only what is shown is read, keys stay true."""

from __future__ import annotations

import sqlalchemy as sa

from crm.clients.models import Client, ContactPerson
from crm.clients.services import create_prospect, search_clients, update_client
from crm.db import db


def _ids(ctx, query="", phone=""):
    return [c.id for c in search_clients(ctx, query, phone).clients]


def test_a_search_reads_only_the_matching_files(ctx, dupre, atelier):
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(Client).where(Client.attempt_id == ctx.attempt.id)
    )
    assert total > 10  # the scenario's clients are there too
    loaded: list[int] = []

    def note(client, *_):
        loaded.append(client.id)

    wanted = dupre.id
    db.session.expire_all()  # every row read again is loaded or refreshed
    sa.event.listen(Client, "load", note)
    sa.event.listen(Client, "refresh", note)
    try:
        assert _ids(ctx, "dupre") == [wanted]
    finally:
        sa.event.remove(Client, "load", note)
        sa.event.remove(Client, "refresh", note)
    assert loaded == [wanted]


def test_keys_follow_a_renamed_file_and_its_new_phones(ctx, dupre):
    update_client(ctx, dupre, {"last_name": "Martinon", "phones": ["06 11 22 33 44"]})
    db.session.commit()
    assert _ids(ctx, "martinon") == [dupre.id]
    assert _ids(ctx, "lefevre") == []
    assert _ids(ctx, phone="0611223344") == [dupre.id]
    assert _ids(ctx, "1122 33") == [dupre.id]
    assert _ids(ctx, phone="04 78 12 34 56") == []


def test_keys_follow_a_contact_person_added_or_removed(ctx, atelier):
    person = ContactPerson(
        attempt_id=ctx.attempt.id, first_name="Anouk", last_name="Quincampoix", phone="0612345678"
    )
    atelier.contact_persons.append(person)
    db.session.commit()
    assert _ids(ctx, "quincampoix anouk") == [atelier.id]
    assert _ids(ctx, phone="+33612345678") == [atelier.id]
    atelier.contact_persons.remove(person)
    db.session.commit()
    assert _ids(ctx, "quincampoix") == []
    assert _ids(ctx, phone="+33612345678") == []


def test_a_new_prospect_is_found_at_once(ctx):
    prospect = create_prospect(
        ctx, {"segment": "b2c", "last_name": "Zébulon", "phones": ["05 56 00 11 22"]}
    )
    assert _ids(ctx, "zebulon") == [prospect.id]
    assert _ids(ctx, prospect.number) == [prospect.id]
    assert _ids(ctx, "0556001122") == [prospect.id]


def test_like_wildcards_in_a_query_are_plain_characters(ctx, dupre):
    assert _ids(ctx, "d_pre") == []


def test_opening_a_file_reads_its_orders_lines_in_one_statement(ctx):
    from crm.clients.services import load_client_file
    from crm.orders.models import Order

    client_id, orders = db.session.execute(
        sa.select(Order.client_id, sa.func.count())
        .where(Order.attempt_id == ctx.attempt.id)
        .group_by(Order.client_id)
        .order_by(sa.func.count().desc())
        .limit(1)
    ).one()
    assert orders >= 2
    client = db.session.get(Client, client_id)
    db.session.expire_all()
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", remember)
    try:
        client_file = load_client_file(client)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", remember)
    assert len(client_file.orders) == min(orders, 10)
    assert len([s for s in statements if "FROM order_line" in s]) == 1
