"""Template databases for the shared fixtures: seed once per process, copy into each test.

Most tests start from the same rows (the people, a running shift on the default scenario, a
second candidate's attempt), and seeding them costs far more than the test itself. A *stage* is
one such step, built by the very code its fixture runs. The first time a process needs the
stages, each is built once into an in-memory SQLite database of its own (the *template*); a
fixture then copies its stage's template into the test's database with SQLite's backup API, in
about a millisecond, and loads the same objects by id.

A copy is only taken when the test's database is exactly the previous stage's copy (nothing
written since, nothing pending in the session); otherwise the fixture builds live, as before.
The copy is the state the live build would have left, ids included, except for the moment:
every time stamped while the template was built is moved forward as if built just now, and
the action log's chain is re-linked over the new times (they are hashed), so that clocks,
elapsed times and `plateau log verify` read as they would on a fresh seed.

PostgreSQL runs do not use templates (see tests/conftest.py for how they are isolated).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from crm import clock
from crm.actionlog.chain import GENESIS, link_hash
from crm.db import db
from crm.extensions import socketio

#: How SQLAlchemy stores a datetime in SQLite (its default storage format).
STORED = "%Y-%m-%d %H:%M:%S.%f"
#: Key of the copy's mark in `app.extensions`.
MARK = "tests.seeded"


@dataclass(frozen=True)
class Stage:
    """One seeded step: `build(objects)` creates and commits rows and returns their ids;
    `load(ids)` gives the objects of every stage up to this one from those ids."""

    name: str
    parent: str | None
    build: Callable[[dict], dict]
    load: Callable[[dict], dict]
    #: Built the first time a test asks for it rather than with the others (a stage only a
    #: few tests need, that most runs would build for nothing).
    lazy: bool = False


@dataclass
class Template:
    """A stage's database, the ids of its objects and where its build stamped the time."""

    conn: sqlite3.Connection
    ids: dict
    #: (table, column) holding times stamped while this stage and its parents were built.
    stamped: list[tuple[str, str]]
    #: The first and last of those times, as stored.
    window: tuple[str, str]
    built_end: datetime

    @classmethod
    def of(cls, conn: sqlite3.Connection, ids: dict, start: datetime, end: datetime) -> Template:
        """The template held by `conn`, built between the moments `start` and `end`."""
        window = (_stored(start), _stored(end))
        return cls(conn, ids, _stamped_columns(conn, window), window, end)

    def copy_into(self, conn: sqlite3.Connection) -> None:
        """Copy the template into the database of `conn`, its build's time stamps moved to now
        and its log's chains re-linked over them."""
        self.conn.backup(conn)
        _restamp(conn, self)


@dataclass
class Mark:
    """Which stage a test's database holds, and its connection's change count right after."""

    stage: str
    changes: int


@dataclass
class Templates:
    """The stages and, once built (per process, per world day), their templates."""

    stages: dict[str, Stage] = field(default_factory=dict)
    built: dict[str, Template] = field(default_factory=dict)
    day: date | None = None
    #: How `prepare` was told to make a builder's app (lazy stages are built with it later).
    make_app: Callable[[], Flask] | None = None

    def add(self, stage: Stage) -> None:
        """Register a stage (its parent first)."""
        assert stage.parent is None or stage.parent in self.stages, stage.parent
        self.stages[stage.name] = stage

    def prepare(self, make_app: Callable[[], Flask]) -> None:
        """Build every template, unless built today: before the test's app exists, so the
        builders' apps never become the current ones of process-wide extensions."""
        today = clock.today()
        self.make_app = make_app
        if self.day == today:
            return
        self.built.clear()
        for stage in self.stages.values():
            if not stage.lazy:
                self.built[stage.name] = self._build(stage, make_app)
        self.day = today

    def _build(self, stage: Stage, make_app: Callable[[], Flask]) -> Template:
        app = make_app()
        with app.app_context():
            parent = self.built.get(stage.parent) if stage.parent else None
            start = clock.now()
            raw = db.engine.raw_connection()
            try:
                if parent is None:
                    db.create_all()
                    ids: dict = {}
                else:
                    parent.conn.backup(raw.driver_connection)
                    ids = dict(parent.ids)
                ids.update(stage.build(stage_objects(self.stages, stage.parent, ids)))
                db.session.remove()
                end = clock.now()
                # A stage's copy holds its parents' stamps too: one window from the first.
                window = (parent.window[0] if parent else _stored(start), _stored(end))
                template = sqlite3.connect(":memory:", check_same_thread=False)
                raw.driver_connection.backup(template)
            finally:
                raw.close()
            db.engine.dispose()
        return Template(template, ids, _stamped_columns(template, window), window, end)

    def restore(self, app: Flask, name: str) -> dict | None:
        """Copy stage `name` into the app's database and give its objects; None (nothing
        done) when the database is not exactly at the stage before it. A lazy stage's template
        is built here the first time it can be copied."""
        stage = self.stages[name]
        template = self.built.get(name)
        mark: Mark | None = app.extensions.get(MARK)
        waiting = template is None and stage.lazy and stage.parent in self.built
        if (template is None and not waiting) or mark is None or mark.stage != stage.parent:
            return None
        session = db.session
        if session.new or session.dirty or session.deleted:
            return None
        raw = db.engine.raw_connection()
        try:
            conn = raw.driver_connection
            if conn.total_changes != mark.changes:
                return None
            if waiting:
                template = self.built[name] = self._build_aside(stage)
            # Nothing is pending: ending the session's transaction loses nothing, and the
            # objects it holds reload from the copy (same ids).
            session.rollback()
            template.copy_into(conn)
            app.extensions[MARK] = Mark(name, conn.total_changes)
        finally:
            raw.close()
        return stage.load(template.ids)

    def _build_aside(self, stage: Stage) -> Template:
        """Build a lazy stage while a test's app is the current one: the builder's app must not
        stay the one process-wide Socket.IO pushes through (building an app makes it so)."""
        saved, options = dict(socketio.__dict__), dict(socketio.server_options)
        try:
            return self._build(stage, self.make_app)
        finally:
            socketio.__dict__.clear()
            socketio.__dict__.update(saved, server_options=options)

    def restore_schema(self, app: Flask, name: str) -> bool:
        """Copy the root stage (the empty schema) into a fresh app's database."""
        template = self.built.get(name)
        if template is None:
            return False
        raw = db.engine.raw_connection()
        try:
            template.conn.backup(raw.driver_connection)
            app.extensions[MARK] = Mark(name, raw.driver_connection.total_changes)
        finally:
            raw.close()
        return True


def stage_objects(stages: dict[str, Stage], name: str | None, ids: dict) -> dict:
    """The objects of stage `name` (and its parents) loaded from their ids."""
    return stages[name].load(ids) if name else {}


def _stored(moment: datetime) -> str:
    """A time as SQLAlchemy stores it in SQLite (naive UTC)."""
    return moment.replace(tzinfo=None).strftime(STORED)


def _stamped_columns(conn: sqlite3.Connection, window: tuple[str, str]) -> list[tuple[str, str]]:
    """The datetime columns holding a value stamped during the build."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            kind = getattr(column.type, "impl_instance", column.type)  # UTCDateTime's impl
            if not isinstance(kind, sa.DateTime):
                continue
            hit = conn.execute(
                f'SELECT 1 FROM "{table.name}" WHERE "{column.name}" BETWEEN ? AND ? LIMIT 1',
                window,
            ).fetchone()
            if hit:
                found.append((table.name, column.name))
    return found


def _restamp(conn: sqlite3.Connection, template: Template) -> None:
    """Move the build's time stamps to now and re-link the action chains over them."""
    delta: timedelta = clock.now() - template.built_end

    def moved(value: str | None) -> str | None:
        return None if value is None else (datetime.fromisoformat(value) + delta).strftime(STORED)

    conn.create_function("tests_seeded_moved", 1, moved, deterministic=True)
    conn.execute("BEGIN")
    try:
        for table, column in template.stamped:
            conn.execute(
                f'UPDATE "{table}" SET "{column}" = tests_seeded_moved("{column}") '
                f'WHERE "{column}" BETWEEN ? AND ?',
                template.window,
            )
        _relink(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _relink(conn: sqlite3.Connection) -> None:
    """Recompute every action's hash (its time is hashed) and each attempt's chain head."""
    rows = conn.execute(
        "SELECT id, attempt_id, seq, actor_id, actor_role, at, verb, object_type, object_id,"
        " interaction_type, interaction_id, payload FROM action ORDER BY attempt_id, seq"
    ).fetchall()
    heads: dict[int, str] = {}
    for id_, attempt_id, seq, actor_id, role, at, verb, otype, oid, itype, iid, payload in rows:
        prev = heads.get(attempt_id, GENESIS)
        digest = link_hash(
            attempt_id=attempt_id,
            seq=seq,
            actor_id=actor_id,
            actor_role=role,
            at=datetime.fromisoformat(at),
            verb=verb,
            object_type=otype,
            object_id=oid,
            interaction_type=itype,
            interaction_id=iid,
            payload=json.loads(payload) if payload is not None else {},
            prev_hash=prev,
        )
        conn.execute("UPDATE action SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, id_))
        heads[attempt_id] = digest
    for attempt_id, head in heads.items():
        conn.execute("UPDATE attempt SET chain_head = ? WHERE id = ?", (head, attempt_id))
