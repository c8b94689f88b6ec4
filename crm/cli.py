"""The `plateau` command: thin wrappers over services (each docstring is its --help)."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup, FlaskGroup

from crm.db import db
from crm.serving import ServeOptions, serve_app

scenario_cli = AppGroup("scenario", help="Scenario library: list, validate, load and export packs.")
attempt_cli = AppGroup("attempt", help="Attempts: reset a candidate's world.")
log_cli = AppGroup("log", help="Action log: verify hash chains, export their heads.")
user_cli = AppGroup("user", help="Users: create accounts, change passwords, lock and unlock.")
xapi_cli = AppGroup("xapi", help="xAPI: an attempt's statements, and their push to the LRS.")

DEMO_PASSWORD = "plateau-demo"
DEMO_USERS = (
    ("formateur", "trainer", "Françoise Formatrice"),
    ("jury", "evaluator", "Jules Jury"),
    # A second evaluator, for double marking on the bench.
    ("jury2", "evaluator", "Judith Jury"),
    ("candidat1", "candidate", "Camille Candidate"),
    ("candidat2", "candidate", "Karim Candidat"),
    ("candidat3", "candidate", "Léa Candidate"),
)
DEMO_SCENARIO = "bureau-direct"

#: The language problems are printed in (the app's default, French, unless one is chosen).
lang_option = click.option(
    "--lang",
    type=click.Choice(("fr", "en")),
    default=None,
    help="Language of the printed problems (default: the app's, French).",
)


def _in_language(lang: str | None):
    """A context in which messages are worded in `lang` (the app's default language if None)."""
    from crm.i18n import rendered_in

    return rendered_in(lang or current_app.config["BABEL_DEFAULT_LOCALE"])


@scenario_cli.command("list")
def scenario_list():
    """List the scenario packs of the library and whether they are valid."""
    from crm.training.library import list_scenarios

    for info in list_scenarios():
        count = len(info.problems)
        state = "ok" if not count else f"{count} problem" + ("s" if count > 1 else "")
        click.echo(f"{info.slug:30} {info.source:9} {state:14} {info.title}")


@scenario_cli.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@lang_option
def scenario_validate(files, lang):
    """Validate scenario files; print each problem (in French, or --lang); exit 1 if any."""
    from crm.training.scenario_schema import load_scenario_file

    failed = False
    with _in_language(lang):
        for path in files:
            _data, problems = load_scenario_file(path)
            for problem in problems:
                click.echo(str(problem), err=True)
            if problems:
                failed = True
            else:
                click.echo(f"{path}: ok")
    sys.exit(1 if failed else 0)


@scenario_cli.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace the uploaded pack of the same slug.")
@lang_option
def scenario_load(file, replace, lang):
    """Add a pack file to the library, whole or not at all; print each problem (in French, or
    --lang), exit 1 if not."""
    from pathlib import Path

    from crm.errors import DomainError
    from crm.training.packs import PackRefused, install_pack

    path = Path(file)
    try:
        # The refusal's messages are worded when it is raised: in the chosen language.
        with _in_language(lang):
            installed = install_pack(path.name, path.read_bytes(), replace=replace)
    except PackRefused as refusal:
        for problem in refusal.details["problems"]:
            click.echo(problem, err=True)
        sys.exit(1)
    except DomainError as error:
        fields = getattr(error, "fields", None) or {}
        for message in fields.values() or [error.message]:
            click.echo(f"{path.name}: {message}", err=True)
        if not fields:
            click.echo(f"{path.name}: {error.message}", err=True)
        sys.exit(1)
    verb = "replaced" if installed.replaced else "added"
    click.echo(f"{installed.info.slug}: {verb} ({installed.info.path}, sha256 {installed.sha256})")


@scenario_cli.command("export")
@click.argument("name")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to this file (default: stdout)."
)
def scenario_export(name, output):
    """Write a pack of the library (shipped or uploaded) as its YAML file."""
    from pathlib import Path

    from crm.errors import NotFound
    from crm.training.packs import export_pack

    try:
        _name, content = export_pack(name)
    except NotFound:
        raise click.ClickException(f"no scenario pack named {name!r}") from None
    if output:
        Path(output).write_bytes(content)
        click.echo(f"{name}: written to {output}", err=True)
    else:
        click.echo(content.decode("utf-8"), nl=False)


@attempt_cli.command("reset")
@click.argument("attempt_id", type=int)
def attempt_reset(attempt_id):
    """Replace an attempt with a fresh one from its scenario; the old one stays readable."""
    from crm.errors import DomainError
    from crm.training.models import Attempt
    from crm.training.services import reset_attempt

    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise click.ClickException(f"no attempt {attempt_id}")
    try:
        new = reset_attempt(attempt, None)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"attempt {attempt_id} superseded by attempt {new.id}")


@log_cli.command("verify")
@click.option("--attempt", "attempt_id", type=int, help="Only this attempt (default: all).")
@click.option(
    "--heads",
    "heads_file",
    type=click.File("r", encoding="utf-8"),
    help="Also check the heads of an export (`plateau log heads`) kept outside the database.",
)
def log_verify(attempt_id, heads_file):
    """Recompute hash chains, also against the heads sealed at sign-off (and those of --heads);
    exit 1 naming each attempt whose chain does not hold and where it breaks."""
    from crm.actionlog.heads import HeadsFileError, read_heads
    from crm.actionlog.services import verify_chain
    from crm.training.models import Attempt

    try:
        heads = read_heads(heads_file.read(), heads_file.name) if heads_file else {}
    except HeadsFileError as error:
        raise click.ClickException(f"unreadable heads file: {error}") from None
    if attempt_id is not None:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt is None:
            raise click.ClickException(f"no attempt {attempt_id}")
        attempts = [attempt]
        heads = {k: v for k, v in heads.items() if k == attempt_id}
    else:
        attempts = db.session.scalars(sa.select(Attempt).order_by(Attempt.id)).all()
    broken = False
    for attempt in attempts:
        report = verify_chain(attempt, heads.get(attempt.id, ()))
        if report.valid:
            click.echo(f"attempt {attempt.id}: ok ({report.checked} actions)")
        else:
            broken = True
            where = f"action id {report.broken_at}" if report.broken_at else "end of chain"
            click.echo(
                f"attempt {attempt.id}: BROKEN at seq {report.broken_seq} ({where}): "
                f"{report.reason}",
                err=True,
            )
    for missing in sorted(set(heads) - {a.id for a in attempts}):
        broken = True
        click.echo(
            f"attempt {missing}: MISSING: in {heads_file.name} but not in the database", err=True
        )
    sys.exit(1 if broken else 0)


@log_cli.command("heads")
@click.option("--shift", "shift_id", type=int, help="Only this shift's attempts (default: all).")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
def log_heads(shift_id, fmt):
    """Print each attempt's action count and chain head, with the heads sealed at sign-off, to
    keep outside the database (`plateau log verify --heads FILE` checks against them)."""
    from crm.actionlog.heads import attempt_heads, heads_json, heads_table
    from crm.csv_export import csv_text
    from crm.training.models import Shift

    if shift_id is not None and db.session.get(Shift, shift_id) is None:
        raise click.ClickException(f"no shift {shift_id}")
    rows = attempt_heads(shift_id)
    if fmt == "json":
        click.echo(heads_json(rows))
    else:
        click.echo(csv_text(heads_table(rows)), nl=False)


@user_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["candidate", "trainer", "evaluator"]), required=True)
@click.option("--name", default="", help="Display name.")
@click.password_option()
def user_create(username, role, name, password):
    """Create a user account."""
    from crm.auth.services import create_user

    try:
        create_user(username, password, role, name)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"user {username} created ({role})")


def _user_or_fail(username: str):
    from crm.auth.models import User

    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"no user {username}")
    return user


@user_cli.command("password")
@click.argument("username")
@click.password_option()
def user_password(username, password):
    """Change a password; the account's sessions and API tokens stop working."""
    from crm.auth.services import set_password

    user = _user_or_fail(username)
    try:
        set_password(user, password)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"password of {user.username} changed; its sessions and tokens are ended")


@user_cli.command("lock")
@click.argument("username")
def user_lock(username):
    """Lock an account: no login, its sessions end, its API tokens are revoked."""
    from crm.auth.services import lock_user

    user = _user_or_fail(username)
    lock_user(user)
    db.session.commit()
    click.echo(f"user {user.username} locked; its sessions and tokens are ended")


@user_cli.command("unlock")
@click.argument("username")
def user_unlock(username):
    """Unlock an account: its owner may log in again (a new session, a new token)."""
    from crm.auth.services import unlock_user

    user = _user_or_fail(username)
    unlock_user(user)
    db.session.commit()
    click.echo(f"user {user.username} unlocked")


@click.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; change nothing.")
def retention(dry_run):
    """Delete attempts, logs and grids kept longer than their period (crm.retention)."""
    from crm.retention import purge

    try:
        batches = purge(dry_run=dry_run)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo("dry run: nothing deleted" if dry_run else "retention: deleted")
    for batch in batches:
        verb = "would go" if dry_run else "deleted"
        click.echo(
            f"{batch.kept.key} ({batch.kept.label}; kept {batch.days} days, dated before "
            f"{batch.cutoff:%Y-%m-%d %H:%M} UTC): {len(batch.rows)} {verb}"
        )
        for row_id, date in batch.rows:
            click.echo(f"  {batch.kept.key} {row_id}  {date:%Y-%m-%d %H:%M}")


def _attempt_or_fail(attempt_id: int):
    from crm.training.models import Attempt

    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None:
        raise click.ClickException(f"no attempt {attempt_id}")
    return attempt


@xapi_cli.command("statements")
@click.argument("attempt_id", type=int)
def xapi_statements(attempt_id):
    """Print the attempt's xAPI statements as a JSON list."""
    import json

    from crm.evaluation.xapi.statements import attempt_statements

    statements = attempt_statements(_attempt_or_fail(attempt_id))
    click.echo(json.dumps(statements, ensure_ascii=False, indent=2))


@xapi_cli.command("push")
@click.argument("attempt_id", type=int)
def xapi_push(attempt_id):
    """Send the attempt's xAPI statements to the configured LRS (XAPI_LRS_* settings)."""
    from crm.errors import DomainError
    from crm.evaluation.xapi.services import push_statements

    try:
        push = push_statements(_attempt_or_fail(attempt_id))
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        f"attempt {attempt_id}: {push.statements} statements accepted by {push.endpoint} "
        f"(up to action {push.last_seq})"
    )


def upgrade_database() -> None:
    """Apply every migration (creates the database when missing)."""
    from flask_migrate import upgrade

    upgrade(directory=current_app.extensions["migrate"].directory)


def seed_demo() -> list[str]:
    """Create the demo users and a running shift if missing; keep whatever exists."""
    from crm.auth.models import User
    from crm.auth.services import create_user
    from crm.evaluation.candidate_report import DEFAULT_STANDARD
    from crm.training.models import Shift
    from crm.training.services import active_attempts, change_shift_status, create_shift

    lines = []
    users = {}
    for username, role, name in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is None:
            user = create_user(username, DEMO_PASSWORD, role, name)
            lines.append(f"created user {username}")
        users[username] = user
    candidates = [u for u in users.values() if u.role == "candidate"]
    running = db.session.scalar(sa.select(Shift.id).where(Shift.status == "running").limit(1))
    busy = [] if running else active_attempts(candidates)
    if busy:
        # One active attempt per candidate: a demo candidate still in a planned or paused
        # shift keeps it, and no second shift is opened for them.
        shifts = sorted({a.shift_id for a in busy})
        lines.append("demo candidates are still in shift " + ", ".join(map(str, shifts)))
    elif not running:
        # Assessed against the standard the candidates self-assess against by default, so
        # that the bench opens on it instead of asking the evaluator to pick one.
        shift = create_shift(
            DEMO_SCENARIO,
            candidates,
            created_by=users["formateur"],
            name="Séance de démonstration",
            standard=DEFAULT_STANDARD,
        )
        change_shift_status(shift, "start")
        lines.append(f"created running shift {shift.id} on {DEMO_SCENARIO}")
        running = shift.id
    if running:
        lines += _demo_staff(db.session.get(Shift, running), users)
    db.session.commit()
    return lines


def _demo_staff(shift, users: dict) -> list[str]:
    """The demo evaluators run the demo shift too (the console and the room are theirs)."""
    from crm.training.staff import add_staff, runs_shift

    lines = []
    for username, role, _name in DEMO_USERS:
        user = users[username]
        if role in ("trainer", "evaluator") and not runs_shift(user, shift):
            add_staff(shift, user, users["formateur"])
            lines.append(f"{username} runs shift {shift.id}")
    return lines


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Prepare the database and users, then exit.")
def demo(host, port, no_serve):
    """Create or upgrade the SQLite database, demo users and a running shift, then serve."""
    upgrade_database()
    for line in seed_demo():
        click.echo(line)
    click.echo(f"\nPlateau demo: http://{host}:{port}")
    click.echo(f"Logins (password: {DEMO_PASSWORD}):")
    for username, role, _name in DEMO_USERS:
        click.echo(f"  {username:10} {role}")
    if not no_serve:
        _serve(ServeOptions(host=host, port=port))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Server processes (more than one: PostgreSQL and SOCKETIO_MESSAGE_QUEUE).",
)
@click.option(
    "--threads",
    default=ServeOptions.threads,
    show_default=True,
    type=click.IntRange(min=8),
    help="Threads per process: one per open desk (WebSocket) plus requests in flight.",
)
@click.option(
    "--concurrency",
    default=ServeOptions.concurrency,
    show_default=True,
    type=click.IntRange(min=1),
    help="HTTP requests a process works on at once; the others wait their turn.",
)
def serve(host, port, workers, threads, concurrency):
    """Serve Plateau (HTTP and Socket.IO over WebSocket) on HOST:PORT until SIGTERM."""
    options = ServeOptions(
        host=host, port=port, workers=workers, threads=threads, concurrency=concurrency
    )
    _serve(options)


def check_workers(workers: int, database_url: str, message_queue: str | None) -> None:
    """Refuse several processes where they cannot share the database or the pushes."""
    if workers <= 1:
        return
    if sa.engine.make_url(database_url).get_backend_name() == "sqlite":
        raise click.UsageError(
            "--workers > 1 needs PostgreSQL: SQLite has one writer, so several processes on it "
            "only wait for each other. Set DATABASE_URL=postgresql+psycopg://… or serve with "
            "--workers 1."
        )
    if not message_queue:
        raise click.UsageError(
            "--workers > 1 needs SOCKETIO_MESSAGE_QUEUE (e.g. redis://127.0.0.1:6379/0): "
            "without it a push made in one process never reaches the desks of the others."
        )


def _serve(options: ServeOptions) -> None:
    """Run the production server; each process builds its app from the same environment."""
    app = current_app._get_current_object()
    check_workers(
        options.workers,
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.config["SOCKETIO_MESSAGE_QUEUE"],
    )
    # The workers open their own connections after the fork; this process keeps none.
    db.engine.dispose()
    serve_app(_create_app, options, started=_start_clock, stopping=_stop_clock)


def _start_clock(app) -> None:
    """In each serving process: start its background work (the softphone's scenario clock)."""
    from crm.extensions import socketio
    from crm.signals import server_starting

    with app.app_context():
        server_starting.send(app, socketio=socketio)


def _stop_clock(app) -> None:
    """In each serving process told to stop: let its background work end (the clock's beat)."""
    from crm.signals import server_stopping

    with app.app_context():
        server_stopping.send(app)


def init_app(app) -> None:
    """Attach the command groups to the app's CLI."""
    for command in (scenario_cli, attempt_cli, log_cli, user_cli, xapi_cli, demo, serve, retention):
        app.cli.add_command(command)


def _create_app(*_args, **_kwargs):
    from crm.app import create_app

    return create_app()


main = FlaskGroup(
    create_app=_create_app,
    add_version_option=False,
    load_dotenv=False,
    help="Plateau: CRM sandbox for remote customer-relations training.",
)
