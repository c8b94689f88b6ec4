"""One broken thing never stops the scenario: it is logged once, marked failed, and left alone.

The clock works in units — a timeline event to fire, a call to tick, a written correspondent to
let nudge — each in its own transaction. `run_unit` runs one: a failure is rolled back, logged
with its traceback, and marked on the unit itself (`mark_failed`, committed), so that the next
beats skip it instead of failing (and logging) again every second, while the other units go on.
A scripted customer's state (`customer_state` of a call or a correspondent) carries the mark as
``"failed"``; `is_failed` reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from crm.db import db

log = logging.getLogger(__name__)
T = TypeVar("T")


def describe(error: BaseException) -> str:
    """The error as stored on the unit (type and message, bounded)."""
    return f"{type(error).__name__}: {error}"[:500]


def failed_state(state: dict | None, error: BaseException) -> dict:
    """A scripted customer's state marked failed (a new dict, so the JSON column is written)."""
    return {**(state or {}), "failed": describe(error)}


def is_failed(state: dict | None) -> bool:
    """Whether a scripted customer's state is marked failed."""
    return bool((state or {}).get("failed"))


def run_unit(
    label: str, work: Callable[[], T], mark_failed: Callable[[Exception], None]
) -> T | None:
    """Run one unit of the clock's work (it commits); on failure log once and mark it failed.

    Answers what `work` answered, None when it failed. `mark_failed(error)` runs in a fresh
    transaction, committed here; if even that fails, it is logged and the unit is tried again
    on a later beat.
    """
    try:
        return work()
    except Exception as error:
        db.session.rollback()
        log.exception("scenario %s failed; marked failed, not retried", label)
        try:
            mark_failed(error)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("scenario %s could not be marked failed", label)
        return None
