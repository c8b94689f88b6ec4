"""API of a call's recording: the role-player's upload at hang-up, and reading it back.

`POST /api/v1/calls/{id}/recording` takes the raw audio as the body (`audio/webm` or
`audio/ogg`, at most RECORDING_MAX_BYTES: 413 beyond, unread); `GET` answers the file.
"""

from __future__ import annotations

from flask import current_app, g, request, send_file

from crm.boundary.limits import allow_upload
from crm.db import db
from crm.errors import NotFound
from crm.training.models import Attempt
from crm.web.api import commit_and, make_api_blueprint, roles
from crm.web.openapi import doc, reply
from softphone.phone.models import Call
from softphone.voice.access import may_read_recording
from softphone.voice.files import recordings_dir
from softphone.voice.recording import CONTAINERS, recording_of, store_recording
from softphone.voice.serialize import recording_dict

bp = make_api_blueprint("voice_api", __name__)

_AUDIO = {"type": "string", "format": "binary"}


def _call(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound("Appel introuvable.")
    return call


@bp.post("/calls/<int:call_id>/recording")
@roles("trainer", "evaluator")
@doc(
    tag="Voice",
    status=201,
    body_media={media: _AUDIO for media in sorted(CONTAINERS)},
    responses={
        403: "a candidate, or not the role-player of this call",
        404: "no such call",
        409: "not_taken, call_live (not hung up yet), call_not_connected, already_recorded",
        413: "larger than RECORDING_MAX_BYTES (payload_too_large, with max_bytes)",
        415: "not audio/webm or audio/ogg",
        422: "`body` empty (code empty_recording), or not the container its type says",
    },
)
def call_recording_upload(call_id):
    """Store the recording of a voiced call (both sides), sent by its role-player at hang-up.

    One per call. The file is kept with the call and `call.recorded` is written in the log
    with its `sha256`, `bytes` and `duration` (seconds from the answer to the hang-up).
    """
    call = _call(call_id)
    recording = store_recording(call, g.api_user, request.mimetype, request.get_data())
    return commit_and(recording_dict(recording), 201)


@bp.get("/calls/<int:call_id>/recording")
@roles("candidate", "trainer", "evaluator")
@doc(
    tag="Voice",
    responses={
        200: reply("The recording (audio/webm or audio/ogg)", _AUDIO, media="audio/webm"),
        404: "no such call, no recording, or not your attempt",
    },
)
def call_recording_download(call_id):
    """The recording of a call: for the people who run its shift, and its candidate.

    Anyone else (another candidate, a trainer or evaluator of other shifts) gets 404.
    """
    call = db.session.get(Call, call_id)
    attempt = db.session.get(Attempt, call.attempt_id) if call is not None else None
    recording = recording_of(call) if attempt is not None else None
    if recording is None or not may_read_recording(g.api_user, attempt):
        raise NotFound("Enregistrement introuvable.")
    path = recordings_dir() / recording.path
    if not path.is_file():
        current_app.logger.error("recording %s of call %s is missing", path, call.id)
        raise NotFound("Enregistrement introuvable.")
    return send_file(path, mimetype=recording.media_type, conditional=True, etag=recording.sha256)


def init_api(app) -> None:
    """Register the blueprint and the upload's own body limit."""
    app.register_blueprint(bp)
    allow_upload("voice_api.call_recording_upload", "RECORDING_MAX_BYTES")
