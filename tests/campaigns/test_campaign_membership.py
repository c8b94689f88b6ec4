"""The campaign of a contact or a call, and its after-call work target (one lookup for all)."""

from __future__ import annotations

import pytest

from crm.campaigns.membership import (
    after_call_work_target,
    attempt_campaigns,
    call_after_call_work_target,
    campaign_of,
    campaign_of_call,
)
from crm.campaigns.models import Campaign
from crm.contacts.models import Contact


def campaign(key: str, kind: str, **settings) -> Campaign:
    return Campaign(key=key, name=key, kind=kind, settings=settings)


#: Two inbound campaigns (the first without a target), two outbound ones with call plans; the
#: number 04 99 00 00 01 is in both plans (the first holds it).
CAMPAIGNS = [
    campaign("accueil", "inbound"),
    campaign("sav", "inbound", after_call_work_seconds=45),
    campaign(
        "relance",
        "outbound",
        after_call_work_seconds=60,
        call_plan=[{"number": "02 61 91 61 20"}, {"number": "04 99 00 00 01"}],
    ),
    campaign(
        "recouvrement",
        "outbound",
        after_call_work_seconds=90,
        call_plan=[{"number": "+33 4 99 00 00 01"}, {"number": "05 56 00 00 02"}, "bad entry"],
    ),
]


@pytest.mark.parametrize(
    ("direction", "number", "key", "target"),
    [
        ("inbound", "+33499000001", "accueil", None),  # the first inbound sets no target
        ("inbound", "0556000002", "accueil", None),  # inbound numbers never pick a plan
        ("outbound", "0261916120", "relance", 60),
        ("outbound", "+33556000002", "recouvrement", 90),  # any common format matches
        ("outbound", "04.99.00.00.01", "relance", 60),  # listed twice: the first plan
        ("outbound", "+33100000000", "relance", 60),  # typed number: first outbound
        ("outbound", None, "relance", 60),
        ("outbound", "not a number", "relance", 60),
    ],
)
def test_the_campaign_of_a_call_and_its_target(direction, number, key, target):
    assert campaign_of_call(direction, number, CAMPAIGNS).key == key
    assert call_after_call_work_target(direction, number, CAMPAIGNS) == target


def test_no_campaign_of_that_direction_means_no_target():
    inbound_only = CAMPAIGNS[:2]
    assert campaign_of_call("outbound", "0261916120", inbound_only) is None
    assert call_after_call_work_target("outbound", "0261916120", inbound_only) is None
    assert call_after_call_work_target("inbound", None, []) is None


@pytest.mark.parametrize(
    ("value", "target"),
    [(60, 60), (12.5, 12.5), (0, None), (-5, None), (True, None), ("60", None), (None, None)],
)
def test_only_a_positive_number_of_seconds_is_a_target(value, target):
    assert after_call_work_target(campaign("c", "inbound", after_call_work_seconds=value)) == (
        target
    )
    assert after_call_work_target(None) is None


def test_the_campaign_of_a_contact(attempt):
    campaigns = attempt_campaigns(attempt.id)
    assert [c.key for c in campaigns] == [
        "entrant-service-client",
        "relance-clients-inactifs",
        "recouvrement-impayes",
    ]
    inbound = Contact(attempt_id=attempt.id, channel="phone", direction="inbound")
    dialled = Contact(
        attempt_id=attempt.id, channel="phone", direction="outbound", party="+33261916120"
    )
    typed = Contact(
        attempt_id=attempt.id, channel="phone", direction="outbound", party="+33100000000"
    )
    email = Contact(
        attempt_id=attempt.id, channel="email", direction="outbound", party="a@b.example"
    )
    assert campaign_of(inbound, campaigns).key == "entrant-service-client"
    assert campaign_of(dialled, campaigns).key == "relance-clients-inactifs"
    assert campaign_of(typed, campaigns).key == "relance-clients-inactifs"  # first outbound
    assert campaign_of(email, campaigns).key == "relance-clients-inactifs"
    assert [after_call_work_target(c) for c in campaigns] == [60, 60, 90]
