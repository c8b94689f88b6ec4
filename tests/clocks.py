"""The house clock in tests: a fixed moment, moved by hand (`app.config["CLOCK"]` reads it)."""

from __future__ import annotations

from datetime import datetime, timedelta


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        """Let `seconds` pass; the new time."""
        self.now += timedelta(seconds=seconds)
        return self.now

    def set(self, moment: datetime) -> None:
        """Jump to `moment`."""
        self.now = moment
