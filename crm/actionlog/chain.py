"""The canonical form of an action and its SHA-256 link in the attempt's chain."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

GENESIS = "0" * 64


def canonical(
    *,
    attempt_id: int,
    seq: int,
    actor_id: int | None,
    actor_role: str,
    at: datetime,
    verb: str,
    object_type: str | None,
    object_id: int | None,
    interaction_type: str | None,
    interaction_id: int | None,
    payload: dict,
    prev_hash: str,
) -> bytes:
    """Serialise the hashed fields deterministically: sorted keys, no spaces, UTC millis."""
    document = {
        "attempt_id": attempt_id,
        "seq": seq,
        "actor_id": actor_id,
        "actor_role": actor_role,
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
        "verb": verb,
        "object_type": object_type,
        "object_id": object_id,
        "interaction_type": interaction_type,
        "interaction_id": interaction_id,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link_hash(**fields) -> str:
    """SHA-256 hex of the canonical form."""
    return hashlib.sha256(canonical(**fields)).hexdigest()


#: The fields of an action that its hash covers (the arguments of `canonical`).
HASHED_FIELDS = (
    "attempt_id",
    "seq",
    "actor_id",
    "actor_role",
    "at",
    "verb",
    "object_type",
    "object_id",
    "interaction_type",
    "interaction_id",
    "payload",
    "prev_hash",
)


def action_hash(action) -> str:
    """The link hash of a stored action, recomputed from its fields."""
    return link_hash(**{name: getattr(action, name) for name in HASHED_FIELDS})
