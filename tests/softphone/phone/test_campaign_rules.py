"""The calling rules a shift's campaign adds: its own windows and the spacing of attempts."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from crm.contacts.agenda import PARIS
from softphone.phone.rules import CallingPolicy, DialFacts, check_dial, parse_windows

NUMBER = "+33478123456"
BUSINESS = DialFacts(number=NUMBER, client_id=2, consumer=False)
TUESDAY = datetime(2026, 12, 1, tzinfo=PARIS)


def at(hour: int, minute: int = 0) -> datetime:
    return TUESDAY.replace(hour=hour, minute=minute)


def rules(facts, moment, policy) -> list[str]:
    return [b.rule for b in check_dial(facts, moment, policy).breaches]


def test_policy_from_the_attempts_settings():
    policy = CallingPolicy.from_settings(
        {
            "calling_rules": {
                "max_attempts": 2,
                "min_spacing_minutes": 90,
                "windows": ["09:00-12:00", "bad", "14:00-24:00", "18:00-17:00"],
            }
        }
    )
    assert policy.max_attempts == 2 and policy.min_spacing_minutes == 90
    assert policy.campaign_windows == ((time(9), time(12)), (time(14), time.max))
    assert CallingPolicy.from_settings({}).campaign_windows is None
    assert parse_windows("09:00-12:00") == ()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(8, 59), ["campaign_window"]),
        (at(9), []),
        (at(11, 59), []),
        (at(12), ["campaign_window"]),
        (at(23, 30), []),
    ],
)
def test_campaign_windows_apply_to_businesses_too(moment, expected):
    policy = CallingPolicy(campaign_windows=((time(9), time(12)), (time(14), time.max)))
    assert rules(BUSINESS, moment, policy) == expected


@pytest.mark.parametrize(
    ("minutes_ago", "expected"),
    [(10, ["spacing"]), (59, ["spacing"]), (60, []), (300, [])],
)
def test_spacing_between_attempts(minutes_ago, expected):
    facts = DialFacts(
        number=NUMBER,
        consumer=False,
        last_attempt_at=at(11) - timedelta(minutes=minutes_ago),
    )
    assert rules(facts, at(11), CallingPolicy(min_spacing_minutes=60)) == expected
    assert rules(facts, at(11), CallingPolicy()) == []


def test_the_spacing_message_says_until_when():
    facts = DialFacts(number=NUMBER, consumer=False, last_attempt_at=at(10, 30))
    [breach] = check_dial(facts, at(11), CallingPolicy(min_spacing_minutes=60)).breaches
    assert breach.message == (
        "Dernière tentative vers ce numéro à 10:30 : la campagne demande 60 min entre deux "
        "tentatives (pas avant 11:30)."
    )
    assert breach.severe is False
