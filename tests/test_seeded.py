"""The template databases behind the seeded fixtures (tests/seeded.py) give what a live seed
gives: the same rows and ids, times of now, an intact action chain; and they step aside when a
test's database is not where a copy can start."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crm import clock
from crm.actionlog.models import Action
from crm.actionlog.services import verify_chain
from crm.auth.models import User
from crm.extensions import db
from crm.training.models import Shift
from tests.conftest import (
    DATABASE_URL,
    TEMPLATES,
    _add_other_attempt,
    _make_people,
    _new_user,
    _start_shift,
    _template_app,
)
from tests.seeded import MARK, Templates

#: Columns that differ between two seeds by nature: random salts and session tokens, what hashes
#: the time, and the whole seconds the shift had run when a timeline was seeded (cand2's
#: starts from them).
UNIQUE_PER_SEED = {("user", "password_hash"), ("user", "session_token")}
UNIQUE_PER_SEED |= {("action", "hash"), ("action", "prev_hash")}
UNIQUE_PER_SEED |= {("attempt", "chain_head"), ("timeline_event", "fire_offset_seconds")}

# Templates are SQLite databases: on PostgreSQL the seeded fixtures are built live.
pytestmark = pytest.mark.skipif(bool(DATABASE_URL), reason="templates are for SQLite runs")


def _rows(stamped) -> dict:
    """Every row of every table, without the columns stamped with the time of the seed."""
    skip = set(stamped) | UNIQUE_PER_SEED
    dump = {}
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if (table.name, c.name) not in skip]
        rows = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns))
        dump[table.name] = [tuple(row) for row in rows]
    return dump


def _live_seed(stamped) -> dict:
    """The rows the fixtures' code leaves in a fresh database."""
    live = _template_app()
    with live.app_context():
        db.create_all()
        people = _make_people(_new_user)
        shift = _start_shift(people)
        _add_other_attempt(shift, people)
        dump = _rows(stamped)
        db.session.remove()
        db.engine.dispose()
    return dump


def test_a_copy_holds_the_rows_and_ids_of_a_live_seed(app):
    template = TEMPLATES.built["other_attempt"]
    assert TEMPLATES.restore(app, "people") is not None
    assert TEMPLATES.restore(app, "shift") is not None
    copied = TEMPLATES.restore(app, "other_attempt")
    assert copied is not None
    copy = _rows(template.stamped)
    assert copy == _live_seed(template.stamped)
    assert copy["client"] and copy["action"], "the seed fills the world"


def test_a_copy_is_stamped_now_and_its_chains_verify(app):
    templates = Templates(stages=dict(TEMPLATES.stages))
    templates.prepare(_template_app)
    template = templates.built["other_attempt"]
    seeded_at = [
        datetime.fromisoformat(at).replace(tzinfo=UTC)
        for (at,) in template.conn.execute("SELECT at FROM action ORDER BY id")
    ]
    while clock.now() <= template.built_end:  # a copy made later than its template
        pass
    before = clock.now()
    templates.restore_schema(app, "schema")
    for stage in ("people", "shift", "other_attempt"):
        assert templates.restore(app, stage) is not None
    after = clock.now()
    copied_at = db.session.scalars(sa.select(Action.at).order_by(Action.id)).all()
    moves = {copied - seeded for copied, seeded in zip(copied_at, seeded_at, strict=True)}
    assert len(moves) == 1, "every stamp moves by the same time"
    [move] = moves
    assert before - template.built_end <= move <= after - template.built_end
    shift = db.session.scalar(sa.select(Shift))
    assert shift.started_at <= copied_at[-1] <= after
    for attempt in shift.attempts:
        assert verify_chain(attempt).valid, verify_chain(attempt)


def test_no_copy_over_rows_written_since_the_last_stage(app, make_user):
    make_user("intrus")
    assert TEMPLATES.restore(app, "people") is None
    assert db.session.scalars(sa.select(User.username)).all() == ["intrus"]


def test_no_copy_over_pending_changes(app, people):
    people["cand1"].display_name = "Changé"
    assert TEMPLATES.restore(app, "shift") is None
    assert db.session.scalar(sa.select(sa.func.count(Shift.id))) == 0


def test_no_copy_out_of_order(app):
    assert TEMPLATES.restore(app, "shift") is None
    assert TEMPLATES.restore(app, "people") is not None
    assert TEMPLATES.restore(app, "other_attempt") is None


@pytest.fixture
def intruder(people, make_user):
    """A user written between the people and the shift: the shift cannot be a copy."""
    return make_user("intrus")


def test_the_fixtures_build_live_after_a_write_between_stages(app, people, intruder, attempt):
    assert app.extensions[MARK].stage == "people"  # no copy since the people's
    assert intruder.id == people["cand3"].id + 1
    assert attempt.candidate_id == people["cand1"].id and verify_chain(attempt).valid


def test_a_lazy_stage_is_built_once_when_first_copied_and_leaves_socketio_alone(app):
    from crm.extensions import socketio
    from tests.seeded import Stage

    builds = []

    def build(_objects) -> dict:
        builds.append("built")
        return {"extra": _new_user("paresseux").id}

    templates = Templates(stages=dict(TEMPLATES.stages))
    templates.add(
        Stage(
            "lazy",
            "people",
            build,
            lambda ids: {"extra": db.session.get(User, ids["extra"])},
            lazy=True,
        )
    )
    templates.prepare(_template_app)
    assert "lazy" not in templates.built and builds == []
    pushes_through = socketio.server
    for _ in range(2):
        db.session.rollback()  # the connection out of its transaction: the copy replaces all
        templates.restore_schema(app, "schema")
        assert templates.restore(app, "people") is not None
        copied = templates.restore(app, "lazy")
        assert copied is not None and copied["extra"].username == "paresseux"
        assert copied["extra"].id == max(db.session.scalars(sa.select(User.id)))
    assert builds == ["built"]
    assert socketio.server is pushes_through
