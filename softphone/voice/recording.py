"""Storing a voiced call's recording: checked, written under the instance folder, logged.

The role-player's browser mixes both sides of the call and uploads the file once the call is
over. The server checks who sends it, what it is (declared type and the container's first
bytes agree) and that the call has none yet; it writes the file, keeps a row, and records
`call.recorded` with the file's SHA-256, size and the call's duration as the server saw it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import sqlalchemy as sa

from crm import clock
from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.db import db
from crm.errors import Conflict, DomainError, ValidationFailed
from crm.i18n import _
from crm.training.locking import lock_attempt
from crm.training.models import Attempt
from softphone.phone.agent import seconds_between
from softphone.phone.calls import call_ctx
from softphone.phone.models import Call
from softphone.roleplay.services import LIVE_CALL, claim_of
from softphone.voice.files import write_file
from softphone.voice.models import CallRecording

#: Accepted media types → the first bytes of their container (EBML for WebM, Ogg's page).
CONTAINERS = {"audio/webm": b"\x1a\x45\xdf\xa3", "audio/ogg": b"OggS"}
EXTENSIONS = {"audio/webm": "webm", "audio/ogg": "ogg"}


class Forbidden(DomainError):
    """Someone other than the call's role-player sends its recording (403)."""

    status = 403
    code = "forbidden"


class UnsupportedMedia(DomainError):
    """A body that is not one of the accepted audio types (415)."""

    status = 415
    code = "unsupported_media_type"


class EmptyRecording(ValidationFailed):
    """A recording with nothing in it: the call was too short to record anything (422)."""

    code = "empty_recording"


def recording_of(call: Call) -> CallRecording | None:
    """The call's recording, if one was stored."""
    return db.session.scalar(sa.select(CallRecording).where(CallRecording.call_id == call.id))


def check_audio(media_type: str, data: bytes) -> None:
    """The declared type is accepted and the body starts as that container does."""
    if media_type not in CONTAINERS:
        raise UnsupportedMedia(
            _("Enregistrement attendu au format audio/webm ou audio/ogg."),
            details={"accepted": sorted(CONTAINERS)},
        )
    if not data:
        raise EmptyRecording({"body": _("L'enregistrement est vide.")})
    if not data.startswith(CONTAINERS[media_type]):
        raise ValidationFailed(
            {"body": _("Ce fichier n'est pas un enregistrement %(type)s.", type=media_type)}
        )


def store_recording(
    call: Call, player: User, media_type: str, data: bytes, *, now: datetime | None = None
) -> CallRecording:
    """Keep the recording of a finished voiced call and record `call.recorded`."""
    now = now or clock.now()
    claim = claim_of(call=call)
    if claim is None:
        raise Conflict(_("Personne n'a joué le client de cet appel."), code="not_taken")
    if claim.player_id != player.id:
        raise Forbidden(_("Seul le joueur de cet appel en dépose l'enregistrement."))
    check_audio(media_type, data)
    attempt = db.session.get(Attempt, call.attempt_id)
    lock_attempt(attempt.id)
    if call.status in LIVE_CALL:
        raise Conflict(
            _("L'appel est en cours : l'enregistrement se dépose après le raccroché."),
            code="call_live",
            details={"status": call.status},
        )
    if call.answered_at is None:
        raise Conflict(_("Cet appel n'a jamais été décroché."), code="call_not_connected")
    if recording_of(call) is not None:
        raise Conflict(_("Cet appel a déjà son enregistrement."), code="already_recorded")
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{attempt.id}/call-{call.id}-{digest[:16]}.{EXTENSIONS[media_type]}"
    duration = round(seconds_between(call.answered_at, call.ended_at or now), 3)
    recording = CallRecording(
        attempt_id=attempt.id,
        call_id=call.id,
        path=relative,
        media_type=media_type,
        size=len(data),
        sha256=digest,
        duration=duration,
        recorded_by_id=player.id,
        created_at=now,
    )
    db.session.add(recording)
    db.session.flush()
    write_file(relative, data)
    record(
        call_ctx(Ctx(attempt, player.id, player.role), call),
        "call.recorded",
        call,
        {
            "call_id": call.id,
            "sha256": digest,
            "bytes": len(data),
            "duration": duration,
            "media_type": media_type,
        },
    )
    return recording
