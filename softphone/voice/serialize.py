"""A call's recording as the JSON API shows it."""

from __future__ import annotations


def recording_dict(recording) -> dict:
    """What the upload answers: the stored file's facts, as the log has them."""
    return {
        "call_id": recording.call_id,
        "media_type": recording.media_type,
        "bytes": recording.size,
        "sha256": recording.sha256,
        "duration": recording.duration,
        "created_at": recording.created_at.isoformat(timespec="milliseconds"),
    }
