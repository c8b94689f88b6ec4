"""The scenario clock's loop: it sleeps until something is due, or until it is woken.

Each round the loop polls two cheap reads — the running shifts' clocks and each running
attempt's `action_count` — and refreshes the agenda (`softphone.scenarios.agenda`) of the
attempts that changed (all of them when a shift started, paused, resumed or ended, and every
`FULL_REFRESH_SECONDS` anyway). Then it ticks only the attempts that are due, and sleeps until
the next due time, at most `interval` seconds (the poll: what another process committed is seen
within it). With nothing due and nothing changing it writes nothing and costs two queries per
interval.

`wake(attempt_ids)` cuts the sleep short: after a commit that recorded an action in an attempt
waiting with a queued call (or changed a shift's status), the pending wake-up is delivered, so
the call rings as soon as the agent is ready, without waiting for the poll
(`softphone.scenarios.wakeups` notes those commits).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from crm import clock
from crm.db import db
from softphone.scenarios.agenda import (
    Agenda,
    attempt_counts,
    due_times,
    running_shifts_clock,
)

log = logging.getLogger(__name__)
#: Seconds between two polls of the database (what other processes did is seen within it).
POLL_SECONDS = 1.0
#: Seconds after which the whole agenda is read again, whatever the polls said.
FULL_REFRESH_SECONDS = 60.0
#: Beat = callable(now, attempt_ids): fire and tick what is due in those attempts.
Beat = Callable[[datetime, list[int]], object]


class ClockLoop:
    """One process's scenario clock: a loop that ticks what is due and sleeps in between."""

    def __init__(self, app, beat: Beat, *, interval: float = POLL_SECONDS, socketio=None):
        """Prepare the loop (`run` runs it); `socketio` provides its kind of Event, if given."""
        self.app = app
        self.beat = beat
        self.interval = interval
        self.stop_event = threading.Event()
        self.wake_event = _make_event(socketio)
        self._lock = threading.Lock()
        self._woken: set[int] = set()
        self._full = True
        #: Attempts with a queued call: an action committed in one of them wakes the clock.
        self.waiting: frozenset[int] = frozenset()
        self.agenda = Agenda()
        self._counts: dict[int, int] = {}
        self._shifts: tuple | None = None
        self._refreshed_at = float("-inf")
        #: Rounds completed so far (what a test waits on before acting beside the loop).
        self.rounds = 0

    def wake(self, attempt_ids: set[int] | None = None) -> None:
        """Cut the sleep short to look again at these attempts (all of them when None)."""
        with self._lock:
            if attempt_ids is None:
                self._full = True
            else:
                self._woken |= attempt_ids
        self.wake_event.set()

    def stop(self) -> None:
        """Ask the loop to end after the round in progress (it is woken to notice at once)."""
        self.stop_event.set()
        self.wake_event.set()

    def run(self) -> None:
        """Round after round until stopped; a failing round is logged and the next one runs."""
        while not self.stop_event.is_set():
            self.wake_event.clear()
            with self.app.app_context():
                try:
                    sleep = self.round()
                except Exception:
                    log.exception("scenario clock tick failed")
                    db.session.rollback()
                    sleep = self.interval
                finally:
                    db.session.remove()
            self.rounds += 1
            if not self.stop_event.is_set():
                self.wake_event.wait(sleep)

    def round(self) -> float:
        """Poll, refresh the agenda, tick what is due; the seconds to sleep afterwards."""
        now = clock.now()
        self._refresh(now)
        due = self.agenda.due_now(now)
        if due:
            # The beat may queue a call: a candidate's action from now on must wake us.
            self.waiting = frozenset(self.agenda.waiting | set(due))
            self.beat(now, due)
            # Counts first: a candidate's commit after this read is a change at the next poll.
            self._counts.update(_counts_of(due))
            self.agenda.replace(due, due_times(now, due))
            db.session.commit()
            # A unit the beat could not move on (refused, already done elsewhere) is looked at
            # again after one interval, never in a busy loop.
            later = now + timedelta(seconds=self.interval)
            for attempt_id in self.agenda.due_now(now):
                self.agenda.due[attempt_id] = later
        self.waiting = frozenset(self.agenda.waiting)
        next_at = self.agenda.next_at()
        if next_at is None:
            return self.interval
        return max(0.0, min(self.interval, (next_at - clock.now()).total_seconds()))

    def _refresh(self, now: datetime) -> None:
        """Read the polls and bring the agenda of what changed up to date (read-only)."""
        with self._lock:
            woken, full = self._woken, self._full
            self._woken, self._full = set(), False
        shifts = running_shifts_clock()
        counts = attempt_counts()
        stale = time.monotonic() - self._refreshed_at >= FULL_REFRESH_SECONDS
        if full or stale or shifts != self._shifts:
            self.agenda = due_times(now)
            self._refreshed_at = time.monotonic()
        else:
            self.agenda.keep_only(counts)
            changed = {a for a, n in counts.items() if self._counts.get(a) != n}
            changed |= woken & counts.keys()
            if changed:
                self.agenda.replace(changed, due_times(now, changed))
        self._shifts, self._counts = shifts, counts
        db.session.commit()  # end the read (SQLite transactions hold the write lock)


def _counts_of(attempt_ids: list[int]) -> dict[int, int]:
    """The action counts of these attempts now (after the beat's own actions)."""
    counts = attempt_counts()
    return {a: counts[a] for a in attempt_ids if a in counts}


def _make_event(socketio):
    """An Event of the server's async mode (threads, gevent…), a thread Event without one."""
    server = getattr(socketio, "server", None)
    eio = getattr(server, "eio", None)
    if eio is not None and hasattr(eio, "create_event"):
        return eio.create_event()
    return threading.Event()
