"""The bare ceiling of the room benchmark: a minimal Flask-SocketIO app doing one unit of work.

`POST /work/<room>` reads the room's chain head, inserts one hash-chained row through the ORM,
commits, then pushes `changed` to the room's Socket.IO clients: the least a Plateau action does.
It is served exactly as `plateau serve` serves Plateau (`crm.serving`), so the difference
between the two is Plateau's own work.

    python tests/bench/room_bare.py --port 5001 --database sqlite:////tmp/bare.db [--workers N]
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime

import click
import sqlalchemy as sa
from flask import Flask, jsonify, request
from flask_socketio import SocketIO, join_room
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()
socketio = SocketIO()


class Head(db.Model):
    """One chain per room: its last hash and length."""

    room: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    head: Mapped[str] = mapped_column(sa.String(64), default="0" * 64)


class Row(db.Model):
    """One inserted row per request, chained to the previous one of its room."""

    id: Mapped[int] = mapped_column(primary_key=True)
    room: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    payload: Mapped[str] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))


def create_bare_app(database_url: str, message_queue: str | None = None) -> Flask:
    """The bare app on `database_url` (tables created when missing)."""
    from crm.db import configure_engine

    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY="bench")
    db.init_app(app)
    with app.app_context():
        # The same SQLite tuning as Plateau (WAL, busy timeout, transactions).
        configure_engine(db.engine)
        db.create_all()
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=message_queue,
        channel=os.environ.get("SOCKETIO_CHANNEL", "flask-socketio"),
    )

    @app.post("/work/<int:room>")
    def work(room: int):
        """Read the chain head (under the write lock), insert one chained row, commit, push."""
        payload = request.get_data(as_text=True)
        head = db.session.execute(
            sa.select(Head).where(Head.room == room).with_for_update()
        ).scalar_one_or_none()
        if head is None:
            head = Head(room=room, count=0, head="0" * 64)
            db.session.add(head)
        digest = hashlib.sha256(f"{head.head}|{room}|{head.count + 1}|{payload}".encode())
        row = Row(
            room=room,
            seq=head.count + 1,
            payload=payload,
            prev_hash=head.head,
            hash=digest.hexdigest(),
        )
        db.session.add(row)
        head.count, head.head = row.seq, row.hash
        db.session.commit()
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        socketio.emit("changed", {"at": at}, namespace="/desk", to=f"room:{room}")
        return jsonify({"seq": row.seq})

    @socketio.on("connect", namespace="/desk")
    def connect(auth=None):
        """Join the room named in the auth payload."""
        join_room(f"room:{(auth or {}).get('room', 0)}")
        return True

    return app


@click.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", type=int, required=True)
@click.option("--database", required=True)
@click.option("--workers", type=int, default=1)
def main(host: str, port: int, database: str, workers: int) -> None:
    """Serve the bare app the way `plateau serve` serves Plateau."""
    from crm.serving import ServeOptions, serve_app

    queue = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    serve_app(
        lambda: create_bare_app(database, queue),
        ServeOptions(host=host, port=port, workers=workers),
    )


if __name__ == "__main__":
    main()
