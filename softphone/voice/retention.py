"""Recordings' own retention period, declared to `plateau retention` (crm.retention).

The CNIL allows recordings of calls made for training and evaluation for at most six months
(« L'écoute et l'enregistrement des appels sur le lieu de travail »):
RETENTION_RECORDINGS_DAYS (default 183) counts from the recording, whatever the attempt's
own period. The files go once their rows' deletion is committed (softphone.voice.files).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crm.db import db
from crm.retention import CHUNK, ROWS, Kept, register
from softphone.voice.files import remove_after_commit
from softphone.voice.models import CallRecording


def _select(cutoff: datetime) -> sa.Select:
    return (
        sa.select(CallRecording.id, CallRecording.created_at)
        .where(CallRecording.created_at < cutoff)
        .order_by(CallRecording.id)
    )


def _delete_where(condition) -> None:
    paths = db.session.scalars(sa.select(CallRecording.path).where(condition)).all()
    db.session.execute(sa.delete(CallRecording).where(condition))
    remove_after_commit(list(paths))


def _delete(ids: list[int]) -> None:
    for start in range(0, len(ids), CHUNK):
        _delete_where(CallRecording.id.in_(ids[start : start + CHUNK]))


def _delete_for_attempts(attempt_ids: list[int]) -> None:
    for start in range(0, len(attempt_ids), CHUNK):
        _delete_where(CallRecording.attempt_id.in_(attempt_ids[start : start + CHUNK]))


def register_retention() -> None:
    """Declare the recordings (their rows and files) to `plateau retention`."""
    register(
        Kept(
            "recordings",
            "recordings of voiced calls",
            "RETENTION_RECORDINGS_DAYS",
            _select,
            _delete,
            _delete_for_attempts,
            ROWS,
        )
    )
