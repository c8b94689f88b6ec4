"""The phone's clock: the real time, or a fixed one a test puts in the app config."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context

from crm.db import utcnow


def now() -> datetime:
    """Aware UTC now; `PHONE_CLOCK` (a callable in the config) replaces it in tests."""
    clock = current_app.config.get("PHONE_CLOCK") if has_app_context() else None
    return clock() if clock is not None else utcnow()
