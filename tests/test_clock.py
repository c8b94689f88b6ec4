"""crm.clock: one injectable now() and today(), read by every timestamp of the house."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from crm import clock


def test_now_is_aware_utc_to_the_millisecond_without_an_app():
    moment = clock.now()
    assert moment.tzinfo is UTC and moment.microsecond % 1000 == 0
    assert abs(datetime.now(UTC) - moment) < timedelta(seconds=5)


def test_the_config_clock_replaces_now_and_today_in_utc_to_the_millisecond(app):
    app.config["CLOCK"] = lambda: datetime(2026, 3, 3, 23, 30, 0, 123456, tzinfo=UTC)
    with app.app_context():
        assert clock.now() == datetime(2026, 3, 3, 23, 30, 0, 123000, tzinfo=UTC)
        # 23:30 UTC is already the next day in Paris: the world's date is Paris's.
        assert clock.today() == date(2026, 3, 4)
    paris = timezone(timedelta(hours=1))
    app.config["CLOCK"] = lambda: datetime(2026, 3, 4, 10, 0, tzinfo=paris)
    with app.app_context():
        assert clock.now() == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
        assert clock.now().tzinfo is UTC
    app.config["CLOCK"] = None
    with app.app_context():
        assert abs(datetime.now(UTC) - clock.now()) < timedelta(seconds=5)
