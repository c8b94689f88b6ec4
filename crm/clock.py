"""The house's one clock: `now()` for every timestamp, `today()` for the world's date.

Tests freeze or move time through one injection point: a callable in the app config,
``app.config["CLOCK"] = lambda: moment`` (an aware UTC datetime). Everything that stamps a row,
records an action, runs the scenario clock or resolves "today" in a scenario reads it here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

#: The scenario world's time zone: its "today" is the day in Paris.
PARIS = ZoneInfo("Europe/Paris")


def _to_ms(moment: datetime) -> datetime:
    """Truncated to milliseconds: the action log's resolution, so that what a row stores and
    what its hash covered are the same instant."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def now() -> datetime:
    """Now, aware UTC, to the millisecond: the config's `CLOCK` when a test sets one (given in
    any time zone, it is converted and truncated too), else the real time."""
    injected = current_app.config.get("CLOCK") if has_app_context() else None
    moment = injected().astimezone(UTC) if injected is not None else datetime.now(UTC)
    return _to_ms(moment)


def today() -> date:
    """The world's date: today in Paris, the day relative scenario dates are resolved against."""
    return now().astimezone(PARIS).date()
