"""A trainer listening to or whispering in a call is written in the candidate's log.

The evaluator must know that the candidate was heard (`call.listened`) and, above all, helped
(`call.whispered`: a word only the candidate heard); the candidate's timeline says who and when.
"""

from __future__ import annotations

from crm.actionlog.services import Ctx, record
from crm.auth.models import User
from crm.db import db
from crm.training.models import Attempt
from softphone.phone.calls import call_ctx
from softphone.phone.models import Call

#: Signalling that starts a supervision link (sent by the trainer) → the verb it is recorded as.
STARTS = {("listen", "ready"): "call.listened", ("whisper", "offer"): "call.whispered"}


def note_supervision(call: Call, trainer: User, link: str, kind: str) -> str | None:
    """Record the start of a listen or a whisper by `trainer` (the verb, or None if not one)."""
    verb = STARTS.get((link, kind))
    if verb is None:
        return None
    attempt = db.session.get(Attempt, call.attempt_id)
    record(call_ctx(Ctx(attempt, trainer.id, trainer.role), call), verb, call, {"call_id": call.id})
    return verb
