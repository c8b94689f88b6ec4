"""Recordings have their own retention period: `plateau retention` removes rows and files."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from crm import clock
from crm.db import db
from crm.retention import REGISTRY, delete_attempts
from softphone.voice.models import CallRecording
from tests.softphone.voice.conftest import upload


def _files(folder):
    return sorted(p.name for p in folder.rglob("*.webm"))


def test_recordings_go_after_their_own_period_files_included(
    app, runner, trainer, recordings, voiced_call
):
    assert "recordings" in REGISTRY
    assert app.config["RETENTION_RECORDINGS_DAYS"] == 183
    assert upload(trainer, voiced_call).status_code == 201
    recording = db.session.scalar(sa.select(CallRecording))
    [name] = _files(recordings)

    # Younger than six months: kept, and the attempts' own period is far off.
    recording.created_at = clock.now() - timedelta(days=182)
    db.session.commit()
    kept = runner.invoke(args=["retention"])
    assert kept.exit_code == 0, kept.output
    assert "recordings (recordings of voiced calls; kept 183 days" in kept.output
    assert _files(recordings) == [name]

    recording.created_at = clock.now() - timedelta(days=184)
    db.session.commit()
    dry = runner.invoke(args=["retention", "--dry-run"])
    assert f"recordings {recording.id}" in dry.output
    assert _files(recordings) == [name]

    gone = runner.invoke(args=["retention"])
    assert gone.exit_code == 0, gone.output
    assert f"recordings {recording.id}" in gone.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallRecording)) == 0
    assert _files(recordings) == []
    # The log keeps the fingerprint of what was recorded (the attempt lives on).
    assert trainer.get(f"/calls/{voiced_call}/recording").status_code == 404


def test_deleting_an_attempt_takes_its_recordings(attempt, trainer, recordings, voiced_call):
    assert upload(trainer, voiced_call).status_code == 201
    delete_attempts([attempt.id])
    # Until the deletion is committed, the file stays (a failed purge loses nothing).
    assert len(_files(recordings)) == 1
    db.session.commit()
    assert _files(recordings) == []


def test_a_rolled_back_purge_keeps_the_files(attempt, trainer, recordings, voiced_call):
    assert upload(trainer, voiced_call).status_code == 201
    delete_attempts([attempt.id])
    db.session.rollback()
    assert len(_files(recordings)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallRecording)) == 1
