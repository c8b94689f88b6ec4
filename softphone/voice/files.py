"""Recording files follow the transaction that refers to them.

A file is written before its row is committed; if the transaction rolls back, the file goes.
A file whose row is deleted (retention) goes only once that deletion is committed, so a failed
purge never leaves rows pointing at missing files.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import event

from crm.db import db

#: `session.info` keys: files written in the transaction, files to remove once it commits.
WRITTEN = "plateau.voice.written"
DOOMED = "plateau.voice.doomed"

log = logging.getLogger(__name__)


def recordings_dir() -> Path:
    """Where recordings live: RECORDINGS_DIR, else `recordings/` in the instance folder."""
    configured = current_app.config.get("RECORDINGS_DIR")
    return Path(configured or Path(current_app.instance_path) / "recordings")


def write_file(relative: str, data: bytes) -> Path:
    """Write `data` at `relative` (atomically: a temporary file renamed), undone on rollback."""
    target = recordings_dir() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    db.session().info.setdefault(WRITTEN, []).append(target)
    return target


def remove_after_commit(relatives: list[str]) -> None:
    """Remove these files once the current transaction commits (kept if it rolls back)."""
    base = recordings_dir()
    db.session().info.setdefault(DOOMED, []).extend(base / r for r in relatives)


def _committed(session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(WRITTEN, None)
    for path in session.info.pop(DOOMED, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            # The rows are gone: a file left behind is logged, and found by its directory.
            log.exception("could not remove recording %s", path)


def _rolled_back(session, *_) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(DOOMED, None)
    for path in session.info.pop(WRITTEN, []):
        path.unlink(missing_ok=True)


def connect_receivers() -> None:
    """Follow every session's commits and rollbacks, once per process."""
    for name, listener in (("after_commit", _committed), ("after_rollback", _rolled_back)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
