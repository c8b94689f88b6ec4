"""Schemathesis over every operation of /api/v1/openapi.json, as a candidate and as a trainer.

All of schemathesis' checks run (the CLI's `--checks all`: no server error, statuses, content
types, headers and bodies as documented, valid data accepted, invalid data refused, auth
enforced…), positive and negative data, a fixed number of examples per operation and a fixed
seed, so that the run is the same everywhere and stays well under two minutes on two cores.

One test per operation and role, each built when it runs: the schema comes from a fixture
(`schemathesis.pytest.from_fixture`) narrowed to the test's operation, so its cases (the
coverage phase's boundary values among them) are built once, in the worker that runs it, and
not for all operations at collection in every pytest-xdist worker (about 18 s of CPU each).
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks, not_a_server_error
from schemathesis.specs.openapi.checks import positive_data_acceptance

from crm.app import create_app
from crm.auth.tokens import check_token
from crm.extensions import db
from tests.conftest import DATABASE_URL, PASSWORD, postgres_database

try:  # schemathesis' own module (4.x): when it moves, each test mines the literals itself
    from schemathesis.python._constants.orchestrator import build_constants_pool
except ImportError:  # pragma: no cover

    def build_constants_pool(_schema) -> None:
        """Nothing built ahead: each test's copy of the document builds its own pool."""


pytestmark = pytest.mark.schemathesis

#: Examples per operation and generation mode: bounded so the whole run stays short.
EXAMPLES = 5

load_all_checks()
ALL_CHECKS = CHECKS.get_all()

#: Operations whose refusals also follow rules of the world no JSON schema can state (a date in
#: the future, a number that dials, the next level of a ladder, ids that must name candidates):
#: a request valid for the document may get their 422, so `positive_data_acceptance` is not
#: run on them; every other check is.
WORLD_RULES = {
    "POST /api/v1/appointments": "`with` names one of the scenario's sales reps",
    "POST /api/v1/callbacks": "`due_at` lies in the future",
    "POST /api/v1/calls": "`number` is a phone number that can be dialled",
    "POST /api/v1/conversations/{conversation_id}/qualify": "`code` is one of the pack's "
    "qualification codes",
    "POST /api/v1/conversations/{conversation_id}/reply": "`template_id` and `attachment_ids` "
    "name the pack's templates and attachments; `order_id`, `invoice_id` the client's",
    "POST /api/v1/claims": "`description` holds 10 characters besides blanks",
    "POST /api/v1/contracts/{contract_id}/offers": "`offer` is one of the pack's retention "
    "offers that this contract may receive",
    "POST /api/v1/contracts/{contract_id}/cancellation": "`effective_on` after the notice and "
    "the commitment; `reason` holds words besides blanks",
    "POST /api/v1/attempts/{attempt_id}/deliveries/{delivery_id}/events": "`incident` for, and "
    "only for, an incident",
    "POST /api/v1/credit-notes": "`amount` within the adviser's delegation (pack's goodwill_max)",
    "POST /api/v1/orders/{order_id}/returns": "a consumer's order within the withdrawal period; "
    "`lines` name its lines",
    "GET /api/v1/clients": "`phone` is a French phone number",
    "POST /api/v1/clients": "a company (b2b) needs its `company_name`; `phones` must dial",
    "PATCH /api/v1/clients/{client_id}": "`phones` are French numbers; a company keeps its name",
    "POST /api/v1/clients/{client_id}/verify-identity": "two elements at least",
    "POST /api/v1/invoices/{invoice_id}/reminders": "`level` is the ladder's next level",
    "POST /api/v1/payment-plans": "installments add up to what is owed, on increasing dates",
    "POST /api/v1/payments": "`order_id` or `invoice_id`, one of the two",
    "POST /api/v1/phone/state": "a pause takes one of the campaign's pause reasons",
    "POST /api/v1/promises": "`amount` is positive",
    "PUT /api/v1/self-assessment": "criteria of the shift's standard",
    "POST /api/v1/self-assessment/submit": "every criterion graded before handing in",
    "GET /api/v1/attempts/{attempt_id}/evaluation": "a standard, when the shift has none",
    "GET /api/v1/attempts/{attempt_id}/grades": "a standard, when the shift has none",
    "PUT /api/v1/attempts/{attempt_id}/grades": "grades of the standard's criteria",
    "POST /api/v1/attempts/{attempt_id}/grades/agree": "a criterion of the standard",
    "POST /api/v1/attempts/{attempt_id}/grades/fill": "a competency of the standard; a standard "
    "when the shift has none",
    "POST /api/v1/attempts/{attempt_id}/grades/sign-off": "a standard; both markings in",
    "POST /api/v1/attempts/{attempt_id}/grades/submit": "a standard; every criterion graded",
    "GET /api/v1/attempts/{attempt_id}/report.pdf": "a standard, when the shift has none",
    "GET /api/v1/shifts/{shift_id}/grades.csv": "a standard, when the shift has none",
    "POST /api/v1/attempts/{attempt_id}/inbound-calls": "`number` is a phone number",
    "POST /api/v1/attempts/{attempt_id}/messages": "an SMS comes from a French mobile `party`",
    "POST /api/v1/shifts": "`candidate_ids` name candidates; `scenario` one of the library",
    "POST /api/v1/shifts/{shift_id}/candidates": "`candidate_id` names a candidate",
    "POST /api/v1/attempts/{attempt_id}/inject": "`event` is a key of the scenario's timeline, "
    "else `kind` is given; `party` dials for a call or an SMS",
    "POST /api/v1/calls/{call_id}/recording": "the caller played the call, which is over and "
    "has no recording yet",
    "PUT /api/v1/shifts/{shift_id}/campaign": "the shift is planned; codes of the scenario; "
    "the filters keep at least one of its files",
    "POST /api/v1/shifts/{shift_id}/campaign/targets": "`departments` are French departments",
    "POST /api/v1/shifts/{shift_id}/staff": "`user_id` names a trainer or an evaluator who "
    "does not run the shift yet",
    "DELETE /api/v1/shifts/{shift_id}/staff/{user_id}": "`user_id` names someone added to the "
    "shift's staff",
    "POST /api/v1/survey/callback": "`due_at` lies in the future",
    # The generator draws an extra field whose name holds a NUL for this operation: field names
    # are refused like values (crm.boundary), which OpenAPI 3.0 cannot state (no propertyNames).
    "POST /api/v1/survey/interviews/{interview_id}/abandon": "field names hold no NUL",
}

#: A recording's body is raw audio: files that start as their container does (and some that
#: do not), rather than random bytes schemathesis cannot even send under an audio type.
for _media, _magic in (("audio/webm", b"\x1a\x45\xdf\xa3"), ("audio/ogg", b"OggS")):
    schemathesis.openapi.media_type(
        _media, st.sampled_from([_magic + bytes(64), _magic + b"\x00" * 512, b"not audio"])
    )


#: The roles the run plays, each in a world (application and database) of its own: a trainer
#: ending the shift or resetting an attempt must not spoil the candidate's run, whichever order
#: pytest-xdist runs them in.
ROLES = ("candidat1", "formateur")


def _database(role: str) -> str:
    """The role's database: in memory, or beside the test database on PostgreSQL (other tests
    empty theirs after each test; these worlds live for the whole session)."""
    if not DATABASE_URL:
        return "sqlite://"
    return f"{DATABASE_URL.rsplit('/', 1)[0]}/{DATABASE_URL.rsplit('/', 1)[1]}_st_{role}"


#: Building the applications does no database I/O; `worlds` creates and seeds the databases.
APPS = {
    role: create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": _database(role)})
    for role in ROLES
}


def _seed() -> None:
    """The demo people and a running shift on the default scenario with two candidates."""
    from crm.auth.services import create_user
    from crm.training.services import change_shift_status, create_shift

    users = {
        name: create_user(name, PASSWORD, role, name.title())
        for name, role in (
            ("formateur", "trainer"),
            ("jury", "evaluator"),
            ("candidat1", "candidate"),
            ("candidat2", "candidate"),
        )
    }
    shift = create_shift(
        "bureau-direct", [users["candidat1"], users["candidat2"]], created_by=users["formateur"]
    )
    change_shift_status(shift, "start")
    db.session.commit()


@pytest.fixture(scope="session")
def worlds():
    """Each role's world, seeded once per session (per xdist worker), dropped at the end."""
    for role, app in APPS.items():
        if DATABASE_URL:
            name = _database(role).rsplit("/", 1)[1]
            postgres_database(name, fresh=True)
        with app.app_context():
            db.create_all()
            _seed()
    yield APPS
    _TOKENS.clear()
    for app in APPS.values():
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


#: Each role's bearer token, fetched once: logging in for every operation would run into the
#: login throttle.
_TOKENS: dict[str, str] = {}


def _bearer(app, username: str) -> dict:
    """The role's token, fetched again when it stopped working (an operation may revoke it).

    Whether it still works is asked of `check_token`, the very check the API runs on a bearer,
    rather than with a request of its own before every case (a second request per case).
    """
    token = _TOKENS.get(username)
    if token is None or not _works(app, token):
        response = app.test_client().post(
            "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        token = _TOKENS[username] = response.get_json()["token"]
    return _auth(token)


def _works(app, token: str) -> bool:
    """Whether the API would take `token` now."""
    with app.app_context():
        return check_token(token).user is not None


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


#: The document is the same in every world; each case is sent to its role's application.
_DOCUMENT = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPS[ROLES[0]])
# The run sends each role's bearer itself: schemathesis generating (or leaving out, in negative
# cases) the Authorization header would be overwritten, and a case it believes invalid because
# the header is missing would in fact be sent valid.
_DOCUMENT.config.generation.update(with_security_parameters=False)

#: Every operation's label ("POST /api/v1/calls"), as schemathesis enumerates them (resolving
#: the document, building no case).
OPERATIONS = sorted(result.ok().label for result in _DOCUMENT.get_all_operations())

#: The operation of the test running in this process (pytest runs one at a time per process).
_RUNNING: dict[str, str] = {}


@pytest.fixture(scope="session")
def constants_pool():
    """The literals schemathesis mines from the application's code to draw values from, mined
    once: the pool is kept on the document and every per-test copy of it inherits it, whereas a
    copy made before it exists mines them again (about 0.1 s of CPU per test)."""
    build_constants_pool(_DOCUMENT)


@pytest.fixture
def one_operation(operation, request, constants_pool):
    """The document, to be narrowed to the test's operation when schemathesis builds its tests."""
    # schemathesis' fixture-schema wrapper (4.x) reads and restores `node._nodeid` around its
    # run, an attribute pytest 9 no longer has (its node id is `nodeid`).
    request.node._nodeid = request.node.nodeid
    _RUNNING["label"] = operation
    return _DOCUMENT


def _the_running_operation(ctx) -> bool:
    """Whether an operation is the running test's (the wrapper replaces a filter the fixture's
    schema would carry, so the narrowing is a filter of its own, read when the tests are built)."""
    return ctx.operation.label == _RUNNING.get("label")


@pytest.fixture
def world(role, worlds):
    """The role's application, its database seeded."""
    return worlds[role]


schema = schemathesis.pytest.from_fixture("one_operation").include(_the_running_operation)


def _lrs_answer(response) -> bool:
    """Whether the answer is one of the LRS's documented refusals (502/503 `lrs_…`)."""
    if response.status_code not in (502, 503):
        return False
    try:
        body = json.loads(response.content)
    except ValueError:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and str(error.get("code", "")).startswith("lrs_")


def _documented(case, status: int) -> bool:
    """Whether the operation's document declares this status."""
    return str(status) in case.operation.responses.status_codes


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", OPERATIONS)
# The wrapper schemathesis puts around the test takes `request` only: these name the fixtures
# (and the parameters) it loads for the test's own arguments.
@pytest.mark.usefixtures("world")
def test_every_operation_conforms(case, operation, role, world):
    app = world
    bearer = _bearer(app, role)
    response = case.call(headers=bearer, app=app)
    excluded = []
    if case.operation.label in WORLD_RULES:
        excluded.append(positive_data_acceptance)
    # 502/503 about the LRS (lrs_not_configured: the test configures none) are this API's
    # documented answers, not server errors; anything else in 5xx fails (a 503 `busy` too:
    # nothing else writes to these worlds, so no lock is ever waited for).
    if _documented(case, response.status_code) and _lrs_answer(response):
        excluded.append(not_a_server_error)
    case.validate_response(
        response,
        checks=ALL_CHECKS,
        excluded_checks=excluded,
        headers=bearer,
        transport_kwargs={"headers": bearer, "app": app},
    )
