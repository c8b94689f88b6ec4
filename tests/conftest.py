"""Shared fixtures: a fresh database per test, users, a running shift, API and page helpers.

On SQLite (the default) the seeded fixtures are copies of templates built once per process
(tests/seeded.py). Set PLATEAU_TEST_DATABASE_URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the same tests against PostgreSQL:
the schema is created once and each test rolled back at its end (tests/rollback.py).
"""

from __future__ import annotations

import gc
import os
import re

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import Ctx
from crm.app import create_app
from crm.extensions import db
from tests.apps import ReusedApp
from tests.factories import gen_attempt, gen_shift
from tests.rollback import rolled_back, truncate_all
from tests.seeded import Stage, Templates
from tests.url_builders import install as share_url_builders

share_url_builders()

DATABASE_URL = os.environ.get("PLATEAU_TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery"
#: The pytest-xdist worker running this process ("gw0", "gw1"…), empty without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


#: The server tests create their own PostgreSQL databases on (through its database `test`).
PG_ADMIN_URL = os.environ.get(
    "PLATEAU_TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def ensure_database(server_url: str, name: str, *, fresh: bool = False) -> str:
    """The URL of database `name` on the server of `server_url`, created when missing (dropped
    and created again when `fresh`)."""
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    # Disposed even on failure (a database in use cannot be dropped): a pooled connection
    # left to the garbage collector is a ResourceWarning in whichever test runs then.
    try:
        with engine.connect() as conn:
            if fresh:
                conn.execute(sa.text(f'drop database if exists "{name}"'))
            exists = conn.scalar(
                sa.text("select 1 from pg_database where datname = :n"), {"n": name}
            )
            if not exists:
                conn.execute(sa.text(f'create database "{name}"'))
    finally:
        engine.dispose()
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


def postgres_database(name: str, *, fresh: bool = False) -> str:
    """A PostgreSQL database of a test's own (see `ensure_database`): the test is skipped when
    the server cannot be reached, and fails in CI (CI=true), where PostgreSQL is required."""
    try:
        return ensure_database(PG_ADMIN_URL, name, fresh=fresh)
    except Exception as error:  # unreachable server, missing driver
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required in CI: {error}")
        pytest.skip(f"PostgreSQL not reachable: {error}")


def _worker_database(url: str) -> str:
    """Under xdist, each worker fills and rolls back its own database: `<name>_<worker>`,
    created on the same server when missing (tests marked `committed` TRUNCATE it)."""
    if not url or not WORKER:
        return url
    return ensure_database(url, f"{url.rsplit('/', 1)[1]}_{WORKER}")


DATABASE_URL = _worker_database(DATABASE_URL)


@pytest.fixture(scope="session")
def _schema_ready():
    """For a server database: create the schema once per session."""
    if not DATABASE_URL:
        yield None
        return
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": DATABASE_URL})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield DATABASE_URL
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _template_app():
    """An application on a database of its own, where a template is built."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


#: The application the `app` fixture hands to each test, built once per process (tests/apps.py).
REUSED = ReusedApp(
    lambda: create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": DATABASE_URL or "sqlite://"})
)


def _in_transaction() -> bool:
    """Whether the app's SQLite connection was left inside a transaction (the next test's copy
    of the schema could not overwrite it)."""
    if DATABASE_URL:
        return False
    raw = db.engine.raw_connection()
    try:
        return raw.driver_connection.in_transaction
    finally:
        raw.close()


@pytest.fixture
def app(_schema_ready, request, tmp_path):
    """An application and an empty database (uploaded packs in the test's own folder).

    The application is the process's reused one (tests/apps.py) unless the last test changed
    it. On SQLite the empty schema is copied over its database; on PostgreSQL the test runs in
    one transaction rolled back at its end (tests/rollback.py); under the `committed` mark its
    writes are committed for real and the tables emptied after.
    """
    if not DATABASE_URL:
        TEMPLATES.prepare(_template_app)
    app = REUSED.take({"PACK_DIR": str(tmp_path / "packs")})
    with app.app_context():
        if not DATABASE_URL:
            if not TEMPLATES.restore_schema(app, "schema"):
                db.drop_all()  # a reused app's database still holds the last test's rows
                db.create_all()
            yield app
            db.session.remove()
        elif request.node.get_closest_marker("committed"):
            yield app
            db.session.remove()
            truncate_all()
        else:
            with rolled_back():
                yield app
        if not REUSED.give_back(_in_transaction()):
            db.engine.dispose()


@pytest.fixture
def client(app):
    """The Flask test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """The CLI runner."""
    return app.test_cli_runner()


def _new_user(username: str, role: str = "candidate", **kwargs):
    """A user with the PASSWORD, committed."""
    from crm.auth.services import create_user

    user = create_user(username, PASSWORD, role, kwargs.get("display_name", username.title()))
    db.session.commit()
    return user


@pytest.fixture
def make_user(app):
    """Factory: make_user("name", role) creates a user with the PASSWORD."""

    def make(username: str, role: str = "candidate", **kwargs):
        return _new_user(username, role, **kwargs)

    return make


def _make_people(make) -> dict:
    return {
        "trainer": make("formateur", "trainer"),
        "evaluator": make("jury", "evaluator"),
        "cand1": make("candidat1"),
        "cand2": make("candidat2"),
        "cand3": make("candidat3"),
    }


def _start_shift(people: dict):
    from crm.training.models import ShiftStaff
    from crm.training.services import change_shift_status, create_shift

    # Seeding an attempt is the costliest step of most tests: cand2's world is only built
    # for the tests that ask for it.
    shift = create_shift("bureau-direct", [people["cand1"]], created_by=people["trainer"])
    change_shift_status(shift, "start")
    # The evaluator runs the shift with its trainer (room, role-play console). The row is
    # written directly, not through `add_staff`: the attempt's log then holds only what the
    # candidate's tests expect (tests/training/test_shift_staff.py covers the service).
    db.session.add(ShiftStaff(shift_id=shift.id, user_id=people["evaluator"].id))
    db.session.commit()
    return shift


def _add_other_attempt(shift, people: dict):
    from crm.training.services import add_candidate

    attempt = add_candidate(shift, people["cand2"], people["trainer"])
    db.session.commit()
    return attempt


def _load_seeded(ids: dict) -> dict:
    """The seeded objects (people, shift, other_attempt) present in `ids`, by id."""
    from crm.auth.models import User
    from crm.training.models import Attempt, Shift

    objects: dict = {}
    if "people" in ids:
        objects["people"] = {key: db.session.get(User, id_) for key, id_ in ids["people"].items()}
    if "shift" in ids:
        objects["shift"] = db.session.get(Shift, ids["shift"])
    if "other_attempt" in ids:
        objects["other_attempt"] = db.session.get(Attempt, ids["other_attempt"])
    return objects


#: The stages of the seeded fixtures below, each built by the code its fixture runs.
TEMPLATES = Templates()
TEMPLATES.add(Stage("schema", None, lambda _: {}, _load_seeded))
TEMPLATES.add(
    Stage(
        "people",
        "schema",
        lambda _: {"people": {k: u.id for k, u in _make_people(_new_user).items()}},
        _load_seeded,
    )
)
TEMPLATES.add(
    Stage("shift", "people", lambda o: {"shift": _start_shift(o["people"]).id}, _load_seeded)
)
TEMPLATES.add(
    Stage(
        "other_attempt",
        "shift",
        lambda o: {"other_attempt": _add_other_attempt(o["shift"], o["people"]).id},
        _load_seeded,
    )
)


@pytest.fixture
def people(app, make_user):
    """A trainer, an evaluator and three candidates."""
    copied = TEMPLATES.restore(app, "people")
    return copied["people"] if copied else _make_people(make_user)


# A test process keeps a large heap for its whole life (applications, seeded templates, the
# collected items, schemathesis' and hypothesis' modules). At Python's default thresholds the
# collector went over all of it several times a second: a quarter of the suite's CPU (measured
# with gc.callbacks on tests/softphone and tests/evaluation: 34 s of 141 s). Young objects are
# still collected, in fewer and larger passes; the heap that exists once the tests are collected
# is frozen out of every collection (pytest_collection_finish).
gc.set_threshold(20_000, 10, 10)


def pytest_collection_finish(session):
    """Freeze what collection built: later collections scan only what the tests make."""
    gc.freeze()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "committed: on PostgreSQL, commit the test's writes for real (other connections see "
        "them) and empty the tables after, instead of rolling the test back",
    )
    config.addinivalue_line(
        "markers",
        "empty_world: the shared attempts have the scenario's settings but no world rows (the "
        "test builds the few it needs with tests/factories.py)",
    )


def pytest_ignore_collect(collection_path, config):
    """Leave out tests/api/test_schemathesis.py when the `-m` expression deselects its marker.

    Importing it loads schemathesis and hypothesis, builds two applications and reads the API
    document (about 2.5 s of CPU; each operation's cases are built only when its test runs),
    which a run that deselects them all (`-m lrs`, `-m browser`) would pay for nothing.
    """
    if collection_path.name != "test_schemathesis.py" or not config.option.markexpr:
        return None
    from _pytest.mark.expression import Expression

    selected = Expression.compile(config.option.markexpr).evaluate(
        lambda name, **_: name == "schemathesis"
    )
    return True if not selected else None


#: Set (to 1) on a second pass over PostgreSQL, after a pass on SQLite (CI): only the tests whose
#: database is the one PLATEAU_TEST_DATABASE_URL names run again.
DATABASE_ONLY = os.environ.get("PLATEAU_TEST_DATABASE_ONLY") == "1"
#: The fixtures through which a test reaches PLATEAU_TEST_DATABASE_URL's database.
DATABASE_FIXTURES = {"app", "worlds"}


def pytest_collection_modifyitems(config, items):
    """Under PLATEAU_TEST_DATABASE_ONLY, deselect the tests that reach no database through
    DATABASE_FIXTURES: they build their own (SQLite files, PostgreSQL databases of their own
    through `postgres_database`, migrations' round trips) or none, so the SQLite pass before ran
    exactly them already."""
    if not (DATABASE_ONLY and DATABASE_URL):
        return
    kept, repeated = [], []
    for item in items:
        uses = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if uses else repeated).append(item)
    if repeated:
        config.hook.pytest_deselected(items=repeated)
        items[:] = kept


def _empty_world(request) -> bool:
    return request.node.get_closest_marker("empty_world") is not None


@pytest.fixture
def shift(app, people, request):
    """A running shift on the default scenario with cand1's attempt (cand2's: `other_attempt`).

    Under the `empty_world` mark the attempt's world is left empty (tests/factories.py).
    """
    if _empty_world(request):
        shift = gen_shift(created_by=people["trainer"])
        gen_attempt(shift, people["cand1"], actor=people["trainer"])
        db.session.commit()
        return shift
    copied = TEMPLATES.restore(app, "shift")
    return copied["shift"] if copied else _start_shift(people)


@pytest.fixture
def attempt(shift):
    """cand1's attempt."""
    return shift.attempts[0]


@pytest.fixture
def other_attempt(app, shift, people, request):
    """cand2's attempt in the same shift (never reachable by cand1); world empty under
    `empty_world`."""
    if _empty_world(request):
        attempt = gen_attempt(shift, people["cand2"], actor=people["trainer"])
        db.session.commit()
        return attempt
    copied = TEMPLATES.restore(app, "other_attempt")
    return copied["other_attempt"] if copied else _add_other_attempt(shift, people)


@pytest.fixture
def ctx(attempt, people):
    """A service context: cand1 acting in their attempt."""
    return Ctx(attempt, people["cand1"].id, "candidate")


class ActionLog:
    """The actions an attempt records after `mark()`: what a test asserts a service did.

    With `advancing=True`, each `new()` also moves the mark, so consecutive steps of a test
    see only their own actions.
    """

    def __init__(self, attempt_id: int, *, advancing: bool = False):
        self.attempt_id = attempt_id
        self.advancing = advancing
        self.mark()

    def _last_seq(self) -> int:
        return db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(Action.seq), 0)).where(
                Action.attempt_id == self.attempt_id
            )
        )

    def mark(self) -> ActionLog:
        """Forget what was recorded so far."""
        self.seq = self._last_seq()
        return self

    def new(self) -> list[Action]:
        """Actions recorded since the mark, in order."""
        rows = db.session.scalars(
            sa.select(Action)
            .where(Action.attempt_id == self.attempt_id, Action.seq > self.seq)
            .order_by(Action.seq)
        ).all()
        if self.advancing:
            self.seq = self._last_seq()
        return rows

    def verbs(self) -> list[str]:
        """Verbs recorded since the mark."""
        return [a.verb for a in self.new()]

    def last(self, verb: str) -> Action:
        """The latest new action with this verb."""
        return [a for a in self.new() if a.verb == verb][-1]


@pytest.fixture
def action_log():
    """Factory: action_log(attempt, advancing=False) gives an ActionLog marked now."""
    return lambda attempt, advancing=False: ActionLog(attempt.id, advancing=advancing)


@pytest.fixture
def log(attempt, action_log):
    """cand1's actions recorded after this fixture (or the last `mark()`)."""
    return action_log(attempt)


@pytest.fixture
def new_actions(log):
    """Callable: cand1's actions recorded since set-up (`log.new`, under its former name)."""
    return log.new


class Api:
    """Calls /api/v1 with a bearer token: api.as_("candidat1").post("/orders", {...}).

    `as_(…, lazy=True)` logs in at the first call (or the first read of `token`), not when the
    client is made: fixtures that make clients before the shift (the room's `trainer`, `cand`…)
    then leave the database as the seeded templates expect, and the shift is copied rather than
    built again (tests/seeded.py).
    """

    def __init__(self, client, login: tuple[str, str] | None = None):
        self.client = client
        self._login = login
        self._token = None

    @property
    def token(self) -> str | None:
        """The bearer token, fetched at the first read when the client was made by `as_`."""
        if self._token is None and self._login is not None:
            username, password = self._login
            response = self.client.post(
                "/api/v1/auth/token", json={"username": username, "password": password}
            )
            assert response.status_code == 200, response.get_json()
            self._token = response.get_json()["token"]
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token, self._login = value, None

    def as_(self, username: str, password: str = PASSWORD, *, lazy: bool = False) -> Api:
        other = Api(self.client, (username, password))
        if not lazy:
            other.token  # noqa: B018 - logs in now
        return other

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **params):
        return self.client.get("/api/v1" + path, headers=self._headers(), query_string=params)

    def post(self, path, body=None):
        return self.client.post(
            "/api/v1" + path, headers=self._headers(), json=body if body is not None else {}
        )

    def patch(self, path, body):
        return self.client.patch("/api/v1" + path, headers=self._headers(), json=body)

    def delete(self, path):
        return self.client.delete("/api/v1" + path, headers=self._headers())


@pytest.fixture
def api(client):
    """API helper (anonymous until `.as_(username)`)."""
    return Api(client)


def _csrf_from(html: str) -> str:
    """The CSRF token of a page (hidden input or meta tag)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def csrf_from():
    """Function extracting the CSRF token from a page's HTML."""
    return _csrf_from


@pytest.fixture
def login(client):
    """Log a user into the test client through the real login form."""

    def do(username: str, password: str = PASSWORD):
        page = client.get("/login").get_data(as_text=True)
        response = client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": _csrf_from(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do
