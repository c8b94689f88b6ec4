"""Commits that wake this process's scenario clock at once, instead of at its next poll.

An inbound call waiting in the queue must ring as soon as its agent is ready. The clock keeps
the set of attempts with a queued call (`ClockLoop.waiting`); an action recorded in one of them
(the agent back to ready, a contact qualified…) is noted on the session, and once the session
commits — never before, or the clock would read the world before the change — the clock is
woken for that attempt. A shift that starts, pauses, resumes or ends wakes it for all. Other
processes see these commits at their next poll (`softphone.scenarios.loop`).
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import object_session

from crm.db import db
from crm.signals import action_recorded, shift_status_changed

#: Attempt ids to wake the clock for once the session commits (`session.info`).
INFO_KEY = "plateau.clock.wake"
#: Wake the clock for every attempt once the session commits.
ALL = "all"

_clock: dict[str, object] = {}


def attach(loop) -> None:
    """The loop these commits wake (one per process)."""
    _clock["loop"] = loop


def detach(loop) -> None:
    """Stop waking this loop (it has stopped)."""
    if _clock.get("loop") is loop:
        _clock.clear()


def note_action(action) -> None:
    """`action_recorded` receiver: an attempt with a queued call changed; wake after commit."""
    loop = _clock.get("loop")
    if loop is None or action.attempt_id not in loop.waiting:
        return
    session = object_session(action) or db.session()
    session.info.setdefault(INFO_KEY, set()).add(action.attempt_id)


def note_shift(shift, **_extra) -> None:
    """`shift_status_changed` receiver: a shift's clock moved; wake for all after commit."""
    if "loop" not in _clock:
        return
    session = object_session(shift) or db.session()
    session.info.setdefault(INFO_KEY, set()).add(ALL)


def deliver(session) -> None:
    """`after_commit`: wake the clock for what the committed transaction noted."""
    if session.in_nested_transaction():
        return  # a savepoint released: the outer commit delivers
    noted = session.info.pop(INFO_KEY, None)
    loop = _clock.get("loop")
    if noted and loop is not None:
        loop.wake(None if ALL in noted else noted)


def forget(session, transaction) -> None:
    """`after_transaction_end` of the outer transaction: nothing committed is left to deliver."""
    if transaction.parent is None:
        session.info.pop(INFO_KEY, None)


def connect() -> None:
    """Subscribe to crm's signals and the session events, once per process."""
    action_recorded.connect(note_action)
    shift_status_changed.connect(note_shift)
    for name, listener in (("after_commit", deliver), ("after_transaction_end", forget)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
