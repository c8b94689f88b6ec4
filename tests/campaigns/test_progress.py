"""A campaign's progress: conversion, the goal met or not, the room's sum (pure)."""

from __future__ import annotations

import pytest

from crm.campaigns.progress import Progress, room_progress


def _progress(successes: int, reached: int, *, count=None, rate=None, **kw) -> Progress:
    return Progress(
        campaign="c",
        name="Campagne",
        targets=10,
        reached=reached,
        successes=successes,
        goal={"codes": ["RDV"], "count": count, "rate": rate},
        **kw,
    )


@pytest.mark.parametrize(
    ("successes", "reached", "count", "rate", "conversion", "met"),
    [
        (0, 0, 1, None, None, False),
        (1, 4, 1, None, 25.0, True),
        (1, 4, 2, None, 25.0, False),
        (1, 4, None, 25, 25.0, True),
        (1, 4, None, 30, 25.0, False),
        (2, 4, 2, 50, 50.0, True),
        (2, 3, None, None, 66.7, False),  # no goal: never « met »
    ],
)
def test_conversion_and_goal(successes, reached, count, rate, conversion, met):
    progress = _progress(successes, reached, count=count, rate=rate)
    assert progress.conversion == conversion
    assert progress.to_dict()["goal"]["met"] is met


def test_the_room_sums_and_scales_the_goal_to_its_candidates():
    room = room_progress(
        [
            _progress(2, 3, count=1, outcomes={"RDV": 2, "REFUS": 1}, attempts=5, called=3),
            _progress(0, 2, count=1, outcomes={"ABSENT": 2, "REFUS": 1}, attempts=3, called=2),
        ]
    )
    assert room["candidates"] == 2
    assert (room["targets"], room["attempts"], room["called"]) == (20, 8, 5)
    assert (room["reached"], room["successes"], room["conversion"]) == (5, 2, 40.0)
    assert room["outcomes"] == {"ABSENT": 2, "RDV": 2, "REFUS": 2}
    assert room["goal"]["target_count"] == 2 and room["goal"]["met"] is True
    assert room_progress([]) is None
