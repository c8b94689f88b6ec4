"""`plateau serve`: the production server, its refusals, and a clean stop on SIGTERM."""

from __future__ import annotations

import pytest

from crm.cli import check_workers
from crm.serving import close_socket_connections
from tests.cli.servers import Served, api_session, desk_client, plateau
from tests.cli.write_loop import kill_during_write_loop


def test_several_workers_are_refused_on_sqlite_or_without_a_queue(app, runner):
    result = runner.invoke(args=["serve", "--workers", "2"])
    assert result.exit_code == 2
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert "--workers > 1 needs PostgreSQL" in result.output
    else:  # the suite run on PostgreSQL (PLATEAU_TEST_DATABASE_URL): the next refusal
        assert "--workers > 1 needs SOCKETIO_MESSAGE_QUEUE" in result.output


def test_several_workers_need_a_message_queue():
    with pytest.raises(Exception, match="SOCKETIO_MESSAGE_QUEUE"):
        check_workers(2, "postgresql+psycopg://u@127.0.0.1/db", None)
    check_workers(2, "postgresql+psycopg://u@127.0.0.1/db", "redis://127.0.0.1:6379/0")
    check_workers(1, "sqlite:///x.db", None)


def test_closing_socket_connections_without_socketio_is_harmless(app):
    app.extensions.pop("socketio", None)
    close_socket_connections(app)


def test_sigterm_stops_cleanly_with_desks_connected(tmp_path):
    """A served room (a desk on WebSocket, requests going on) stops on SIGTERM: exit 0."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/serve.db", "SOCKETIO_MESSAGE_QUEUE": ""}
    prepared = plateau(env, "demo", "--no-serve")
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    server = Served(env)
    try:
        desk = desk_client(server.url, "candidat1")
        assert desk.connected and desk.transport() == "websocket"
        api = api_session(server.url, "candidat1")
        assert api.get(server.url + "/api/v1/phone", timeout=30).status_code == 200
        output = server.stop()
    finally:
        server.close()
    assert server.process.returncode == 0, output
    assert "Traceback" not in output, output
    desk.disconnect()


def test_kill_9_in_a_write_loop_loses_no_acknowledged_action_on_sqlite(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/crash.db", "SOCKETIO_MESSAGE_QUEUE": ""}
    prepared = plateau(env, "demo", "--no-serve")
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    kill_during_write_loop(env)
