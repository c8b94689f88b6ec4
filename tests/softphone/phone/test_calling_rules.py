"""Calling rules and French public holidays, with an injected moment (no real clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from crm.contacts.agenda import PARIS
from softphone.phone.holidays import easter_sunday, holiday_name, public_holidays
from softphone.phone.rules import CallingPolicy, DialFacts, check_dial


def paris(*args) -> datetime:
    """An aware moment given in Paris time."""
    return datetime(*args, tzinfo=PARIS)


def rules(facts: DialFacts, moment: datetime, policy=None) -> list[str]:
    return [b.rule for b in check_dial(facts, moment, policy).breaches]


NUMBER = "+33478123456"
CONSUMER = DialFacts(number=NUMBER, client_id=1, consumer=True)
BUSINESS = DialFacts(number=NUMBER, client_id=2, consumer=False)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_eleven_public_holidays_of_2026():
    assert public_holidays(2026) == {
        date(2026, 1, 1): "Jour de l'an",
        date(2026, 4, 6): "Lundi de Pâques",
        date(2026, 5, 1): "Fête du Travail",
        date(2026, 5, 8): "Victoire 1945",
        date(2026, 5, 14): "Ascension",
        date(2026, 5, 25): "Lundi de Pentecôte",
        date(2026, 7, 14): "Fête nationale",
        date(2026, 8, 15): "Assomption",
        date(2026, 11, 1): "Toussaint",
        date(2026, 11, 11): "Armistice 1918",
        date(2026, 12, 25): "Noël",
    }
    assert holiday_name(date(2026, 4, 7)) is None


@pytest.mark.parametrize(
    ("moment", "breaches"),
    [
        (paris(2026, 3, 3, 10, 0), []),  # Tuesday, the window opens
        (paris(2026, 3, 3, 9, 59), ["calling_window"]),
        (paris(2026, 3, 3, 12, 59), []),
        (paris(2026, 3, 3, 13, 0), ["calling_window"]),  # the lunch gap
        (paris(2026, 3, 3, 13, 30), ["calling_window"]),
        (paris(2026, 3, 3, 14, 0), []),
        (paris(2026, 3, 3, 19, 59), []),
        (paris(2026, 3, 3, 20, 0), ["calling_window"]),
        (paris(2026, 3, 7, 11, 0), ["calling_window"]),  # Saturday
        (paris(2026, 3, 8, 11, 0), ["calling_window"]),  # Sunday
        (paris(2026, 5, 14, 11, 0), ["public_holiday"]),  # Ascension, a Thursday
        (paris(2026, 4, 6, 15, 0), ["public_holiday"]),  # Easter Monday
        (paris(2026, 8, 15, 11, 0), ["calling_window", "public_holiday"]),  # a Saturday too
    ],
)
def test_consumer_calling_windows(moment, breaches):
    assert rules(CONSUMER, moment) == breaches


def test_windows_are_judged_in_paris_time():
    # 09:30 UTC in summer is 11:30 in Paris: allowed; 12:30 UTC is 14:30: allowed;
    # 11:30 UTC is 13:30 in Paris: the lunch gap.
    assert rules(CONSUMER, datetime(2026, 6, 2, 9, 30, tzinfo=UTC)) == []
    assert rules(CONSUMER, datetime(2026, 6, 2, 12, 30, tzinfo=UTC)) == []
    assert rules(CONSUMER, datetime(2026, 6, 2, 11, 30, tzinfo=UTC)) == ["calling_window"]


def test_businesses_have_no_calling_window():
    assert rules(BUSINESS, paris(2026, 3, 7, 8, 0)) == []
    assert rules(BUSINESS, paris(2026, 5, 14, 11, 0)) == []


def test_an_unknown_number_is_treated_as_a_consumer():
    assert rules(DialFacts(number=NUMBER), paris(2026, 3, 3, 13, 15)) == ["calling_window"]


def test_the_message_says_the_windows_and_the_time():
    breach = check_dial(CONSUMER, paris(2026, 3, 3, 13, 15)).breaches[0]
    assert "de 10 h à 13 h et de 14 h à 20 h" in breach.message
    assert "mardi à 13:15" in breach.message
    assert not breach.severe


def test_do_not_call_is_a_severe_breach():
    verdict = check_dial(DialFacts(number=NUMBER, do_not_call=True), paris(2026, 3, 3, 11, 0))
    assert [b.rule for b in verdict.breaches] == ["do_not_call"]
    assert verdict.breaches[0].severe and not verdict.ok


def test_a_block_after_a_refusal_lasts_until_its_day():
    blocked = DialFacts(number=NUMBER, blocked_until=date(2026, 3, 10))
    assert rules(blocked, paris(2026, 3, 10, 11, 0)) == ["refusal"]
    assert check_dial(blocked, paris(2026, 3, 10, 11, 0)).breaches[0].severe
    assert "10/03/2026" in check_dial(blocked, paris(2026, 3, 10, 11, 0)).breaches[0].message
    assert rules(blocked, paris(2026, 3, 11, 11, 0)) == []


def test_a_refusal_in_the_history_warns_for_60_days():
    refused = paris(2026, 1, 5, 11, 0)
    facts = DialFacts(number=NUMBER, last_refusal_at=refused)
    verdict = check_dial(facts, paris(2026, 3, 5, 11, 0))  # 59 days later
    assert [b.rule for b in verdict.breaches] == ["refusal"]
    assert not verdict.breaches[0].severe
    assert "avant le 06/03/2026" in verdict.breaches[0].message
    assert rules(facts, paris(2026, 3, 6, 11, 0)) == ["refusal"]  # the 60th day
    assert rules(facts, paris(2026, 3, 9, 11, 0)) == []


@pytest.mark.parametrize(("earlier", "breached"), [(0, False), (3, False), (4, True), (7, True)])
def test_at_most_four_attempts(earlier, breached):
    facts = DialFacts(number=NUMBER, recent_attempts=earlier)
    assert ("max_attempts" in rules(facts, paris(2026, 3, 3, 11, 0))) is breached


def test_the_policy_comes_from_the_settings():
    policy = CallingPolicy.from_settings({"calling_rules": {"max_attempts": 2, "refusal_days": 7}})
    assert policy == CallingPolicy(max_attempts=2, refusal_days=7)
    assert CallingPolicy.from_settings({"calling_rules": {"max_attempts": "x"}}) == CallingPolicy()
    facts = DialFacts(number=NUMBER, recent_attempts=2)
    assert rules(facts, paris(2026, 3, 3, 11, 0), policy) == ["max_attempts"]


def test_every_breach_at_once():
    facts = DialFacts(
        number=NUMBER,
        do_not_call=True,
        blocked_until=date(2026, 12, 31),
        recent_attempts=4,
    )
    moment = paris(2026, 12, 25, 21, 0) + timedelta(minutes=1)
    assert rules(facts, moment) == [
        "do_not_call",
        "refusal",
        "calling_window",
        "public_holiday",
        "max_attempts",
    ]


def test_breaches_are_shown_in_the_screens_language_and_logged_in_french(app):
    from flask_babel import force_locale

    breaches = check_dial(
        DialFacts(number=NUMBER, do_not_call=True), paris(2026, 3, 3, 13, 15)
    ).breaches
    with app.test_request_context(), force_locale("en"):
        shown = [b.shown() for b in breaches]
        dicts = [b.to_dict(shown=True) for b in breaches]
        logged = [b.to_dict() for b in breaches]
    assert "do-not-call" in shown[0] and "Tuesday at 13:15" in shown[1]
    assert "10 am" in shown[1] and "(heure de Paris)" not in shown[1]
    assert dicts[0]["message"] == shown[0]
    assert "ne pas appeler" in logged[0]["message"] and "mardi à 13:15" in logged[1]["message"]


def test_a_holiday_is_named_in_the_screens_language(app):
    from flask_babel import force_locale

    (breach,) = check_dial(DialFacts(number=NUMBER), paris(2026, 12, 25, 11, 0)).breaches
    with app.test_request_context(), force_locale("en"):
        shown = breach.shown()
    assert "Christmas" in shown and "Noël" not in shown
    assert "Noël" in breach.to_dict()["message"]
