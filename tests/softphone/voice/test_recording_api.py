"""A voiced call's recording: the role-player's upload, reading it back, and every refusal."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from crm.actionlog.models import Action
from crm.actionlog.services import verify_chain
from crm.db import db
from softphone.voice.models import CallRecording
from tests.softphone.voice.conftest import WEBM, ring_and_take, upload


def _recorded(attempt):
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.verb == "call.recorded")
    ).all()


def test_the_role_player_uploads_at_hang_up_and_the_log_holds_its_sha256(
    trainer, cand, attempt, people, recordings, voiced_call
):
    answer = upload(trainer, voiced_call)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    digest = hashlib.sha256(WEBM).hexdigest()
    assert (body["sha256"], body["bytes"], body["media_type"]) == (digest, len(WEBM), "audio/webm")

    recording = db.session.scalar(sa.select(CallRecording))
    stored = recordings / recording.path
    assert stored.read_bytes() == WEBM
    assert str(stored.resolve()).startswith(str(recordings.resolve()))

    [action] = _recorded(attempt)
    assert action.payload["sha256"] == hashlib.sha256(stored.read_bytes()).hexdigest()
    assert action.payload["bytes"] == len(WEBM) and action.payload["duration"] >= 0
    assert (action.actor_id, action.object_id) == (people["trainer"].id, voiced_call)
    assert verify_chain(attempt).valid

    # Read back by the staff and by the candidate of the attempt.
    for reader in (trainer, cand):
        got = reader.get(f"/calls/{voiced_call}/recording")
        data = got.get_data()
        got.close()
        assert got.status_code == 200 and got.mimetype == "audio/webm"
        assert data == WEBM


def test_one_recording_per_call(trainer, recordings, voiced_call):
    assert upload(trainer, voiced_call).status_code == 201
    again = upload(trainer, voiced_call, WEBM + b"more")
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_recorded"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallRecording)) == 1
    assert len(list(recordings.rglob("*.webm"))) == 1


def test_refusals_leave_nothing_behind(trainer, jury, cand, attempt, recordings, live_call, app):
    # Still connected: the upload comes at hang-up.
    live = upload(trainer, live_call)
    assert live.status_code == 409 and live.get_json()["error"]["code"] == "call_live"
    trainer.post(f"/calls/{live_call}/customer-hangup")

    wrong_role = upload(cand, live_call)
    assert wrong_role.status_code == 403
    other_player = upload(jury, live_call)
    assert other_player.status_code == 403
    assert other_player.get_json()["error"]["code"] == "forbidden"

    not_audio = upload(trainer, live_call, b"%PDF-1.7 not audio", "application/pdf")
    assert not_audio.status_code == 415
    assert not_audio.get_json()["error"]["code"] == "unsupported_media_type"
    disguised = upload(trainer, live_call, b"%PDF-1.7 a PDF called audio", "audio/webm")
    assert disguised.status_code == 422 and "body" in disguised.get_json()["error"]["fields"]
    empty = upload(trainer, live_call, b"", "audio/webm")
    assert empty.status_code == 422
    # The console tells an empty recording (a call too short) from a bad file by its code.
    assert empty.get_json()["error"]["code"] == "empty_recording"
    assert disguised.get_json()["error"]["code"] == "validation_failed"

    missing = upload(trainer, 999999)
    assert missing.status_code == 404

    app.config["RECORDING_MAX_BYTES"] = 1024
    too_big = upload(trainer, live_call, WEBM + bytes(2048))
    assert too_big.status_code == 413
    assert too_big.get_json()["error"]["max_bytes"] == 1024
    assert _recorded(attempt) == []
    assert not recordings.exists() or list(recordings.rglob("*.*")) == []


def test_a_call_nobody_played_has_no_recording(trainer, cand, attempt, recordings):
    cand.post("/phone/state", {"state": "ready"})
    rung = trainer.post(f"/attempts/{attempt.id}/inject", {"event": "appel-commande-rupture"})
    call_id = rung.get_json()["call"]["id"]
    cand.post(f"/calls/{call_id}/answer")
    cand.post(f"/calls/{call_id}/hangup")
    refused = upload(trainer, call_id)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "not_taken"


def test_reading_is_refused_to_other_candidates_and_when_absent(
    trainer, api, cand, attempt, other_attempt, recordings, voiced_call, make_user
):
    absent = trainer.get(f"/calls/{voiced_call}/recording")
    assert absent.status_code == 404
    assert upload(trainer, voiced_call).status_code == 201
    other = api.as_("candidat2")
    assert other.get(f"/calls/{voiced_call}/recording").status_code == 404
    # Staff who do not run the shift do not hear it either.
    make_user("formateur2", "trainer")
    assert api.as_("formateur2").get(f"/calls/{voiced_call}/recording").status_code == 404
    assert trainer.get("/calls/999999/recording").status_code == 404


def test_a_missing_file_is_a_404_not_a_500(trainer, recordings, voiced_call):
    assert upload(trainer, voiced_call).status_code == 201
    for path in recordings.rglob("*.webm"):
        path.unlink()
    assert trainer.get(f"/calls/{voiced_call}/recording").status_code == 404


def test_the_evaluator_also_plays_and_records(jury, trainer, cand, attempt, recordings):
    call_id = ring_and_take(trainer, cand, attempt, player=jury)
    jury.post(f"/calls/{call_id}/customer-hangup")
    assert upload(trainer, call_id).status_code == 403
    answer = upload(jury, call_id, b"OggS" + bytes(100), "audio/ogg")
    assert answer.status_code == 201, answer.get_json()
    got = jury.get(f"/calls/{call_id}/recording")
    got.close()
    assert got.mimetype == "audio/ogg"


def test_the_evaluators_timeline_plays_the_call_beside_its_transcript(
    trainer, attempt, recordings, voiced_call, login, client
):
    assert upload(trainer, voiced_call).status_code == 201
    page = login("jury").get(f"/attempts/{attempt.id}/timeline").get_data(as_text=True)
    assert f'<audio controls preload="none" id="recording-{voiced_call}"' in page
    assert f'src="/api/v1/calls/{voiced_call}/recording"' in page
    assert "Empreinte SHA-256" in page and hashlib.sha256(WEBM).hexdigest() in page
    # The browser's <audio> reads it with the evaluator's session.
    got = client.get(f"/api/v1/calls/{voiced_call}/recording")
    data = got.get_data()
    got.close()
    assert got.status_code == 200 and data == WEBM
