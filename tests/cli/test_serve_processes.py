"""Several server processes on PostgreSQL + Redis: pushes cross them, the clock fires each
timeline event once, a crash loses no acknowledged action.

Real `plateau serve` processes (gunicorn workers) on a database of this test module's own and
a Socket.IO channel of its own on Redis: skipped when either is unreachable, failures in CI.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.training.timeline import TimelineEvent
from tests.cli.servers import Served, api_session, desk_client, plateau, wait_until
from tests.cli.write_loop import kill_during_write_loop
from tests.conftest import WORKER, postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDIS_URL = os.environ.get("PLATEAU_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI ({REDIS_URL}): {exc}")
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {exc}")


@pytest.fixture
def room_env():
    """A fresh PostgreSQL database with the demo's running shift, and a Redis channel of ours."""
    _redis_or_skip()
    # One per xdist worker: tests of this module may run at once on several workers.
    url = postgres_database(f"plateau_serve_processes_{WORKER or 'main'}", fresh=True)
    env = {
        "DATABASE_URL": url,
        "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
        "SOCKETIO_CHANNEL": f"plateau-test-{uuid.uuid4().hex}",
    }
    prepared = plateau(env, "demo", "--no-serve")
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    engine = sa.create_engine(url)
    yield env, engine
    engine.dispose()


def test_a_push_made_in_one_process_reaches_a_desk_of_another(room_env):
    env, _engine = room_env
    first = Served(env, "--workers", "2")
    second = Served(env)
    desk = None
    try:
        desk = desk_client(first.url, "candidat1")
        api = api_session(second.url, "candidat1")
        client_id = api.get(second.url + "/api/v1/clients?limit=1", timeout=30).json()["items"]
        # Opening a file is recorded (client.viewed): the desk's CRM panel must hear of it.
        opened = api.get(f"{second.url}/api/v1/clients/{client_id[0]['id']}", timeout=30)
        assert opened.status_code == 200
        assert wait_until(lambda: any("crm" in c["topics"] for c in desk.changes), timeout=30)
    finally:
        if desk is not None:
            desk.disconnect()
        outputs = [first.stop(), second.stop()]
        first.close()
        second.close()
    assert first.process.returncode == 0 and second.process.returncode == 0, outputs
    assert not any("Traceback" in output for output in outputs), outputs


def test_three_clocks_in_two_servers_fire_each_timeline_event_once(room_env):
    env, engine = room_env
    with engine.begin() as conn:
        # The whole scenario is due at once: every clock races for every event.
        conn.execute(
            sa.text(
                "UPDATE shift SET started_at = started_at - interval '2 hours' "
                "WHERE status = 'running'"
            )
        )
    first = Served(env, "--workers", "2")
    second = Served(env)
    try:
        pending = (
            sa.select(sa.func.count())
            .select_from(TimelineEvent)
            .where(TimelineEvent.fired_at.is_(None), ~TimelineEvent.key.contains("~"))
        )
        with engine.connect() as conn:
            assert wait_until(lambda: conn.execute(pending).scalar_one() == 0, timeout=120)
    finally:
        first.stop()
        second.stop()
        first.close()
        second.close()
    with engine.connect() as conn:
        events = conn.execute(
            sa.select(TimelineEvent.attempt_id, TimelineEvent.kind, TimelineEvent.result).where(
                ~TimelineEvent.key.contains("~")
            )
        ).all()
        actions = conn.execute(
            sa.select(Action.attempt_id, Action.verb, sa.func.count())
            .where(Action.verb.in_(("message.received", "call.abandoned", "call.offered")))
            .group_by(Action.attempt_id, Action.verb)
        ).all()
    counted = {(a, verb): n for a, verb, n in actions}
    attempts = {e.attempt_id for e in events}
    assert attempts
    for attempt_id in attempts:
        mine = [e for e in events if e.attempt_id == attempt_id]
        received = sum(1 for e in mine if (e.result or {}).get("status") == "received")
        abandoned = sum(1 for e in mine if (e.result or {}).get("status") == "abandoned")
        assert received > 0 and abandoned > 0
        assert counted.get((attempt_id, "message.received"), 0) == received
        assert counted.get((attempt_id, "call.abandoned"), 0) == abandoned


def test_kill_9_in_a_write_loop_loses_no_acknowledged_action(room_env):
    env, _engine = room_env
    kill_during_write_loop(env, "--workers", "2")
