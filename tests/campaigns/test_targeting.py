"""Target lists: the filters a supervisor uses, over a scenario's files (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from crm.campaigns.targeting import TargetFilters, read_filters, select_targets
from crm.validation import FormValues

TODAY = date(2026, 12, 7)


def _file(number, **kw):
    entry = {
        "number": number,
        "kind": "client",
        "segment": "b2b",
        "company_name": f"Société {number}",
        "first_name": "Ana",
        "last_name": "Lee",
        "phones": ["04 78 12 34 56"],
        "address": {"postcode": "69003", "city": "Lyon"},
        "consent": {"phone": True},
    }
    entry.update(kw)
    return entry


PACK = {
    "clients": [
        _file("C1", orders=[{"date": "-10d"}], contacts=[{"date": "-2d"}]),
        _file("C2", orders=[{"date": "-200d"}], address={"postcode": "38000", "city": "Grenoble"}),
        _file(
            "C3",
            segment="b2c",
            company_name=None,
            address={"postcode": "69100", "city": "Villeurbanne"},
        ),
        _file("P1", kind="prospect", address={"postcode": "20000", "city": "Ajaccio"}),
        _file("P2", kind="prospect", do_not_call=True),
        _file("P3", kind="prospect", consent={"phone": False}),
        _file("P4", kind="prospect", phones=["12"]),
        _file(
            "C4",
            address={"postcode": "97400", "city": "Saint-Denis"},
            orders=[{"date": "2026-12-01"}],
        ),
    ]
}


def _numbers(filters: TargetFilters) -> list[str]:
    return [t.client for t in select_targets(PACK, filters, TODAY)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (TargetFilters(), ["C1", "C2", "C3", "P1", "C4"]),
        (TargetFilters(exclude_opposed=False), ["C1", "C2", "C3", "P1", "P2", "P3", "C4"]),
        (TargetFilters(kind="prospect"), ["P1"]),
        (TargetFilters(segment="b2c"), ["C3"]),
        (TargetFilters(departments=("69",)), ["C1", "C3"]),
        (TargetFilters(departments=("2A", "974")), ["P1", "C4"]),
        (TargetFilters(city="villeurbanne"), ["C3"]),
        (TargetFilters(city="grénoble"), ["C2"]),
        # No order for 90 days: the inactive client and the files that never ordered.
        (TargetFilters(no_order_days=90), ["C2", "C3", "P1"]),
        (TargetFilters(ordered_within_days=30), ["C1", "C4"]),
        (TargetFilters(not_contacted_days=7), ["C2", "C3", "P1", "C4"]),
    ],
)
def test_filters(filters, expected):
    assert _numbers(filters) == expected


def test_a_target_carries_what_the_preview_shows():
    [target] = select_targets(PACK, TargetFilters(city="Lyon"), TODAY)
    assert target.to_dict() == {
        "client": "C1",
        "name": "Société C1 (Ana Lee)",
        "number": "04 78 12 34 56",
        "kind": "client",
        "segment": "b2b",
        "city": "Lyon",
        "department": "69",
        "last_order": "2026-11-27",
        "last_contact": "2026-12-05",
    }


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"kind": "lead"}, "kind"),
        ({"segment": "b2g"}, "segment"),
        ({"departments": ["6"]}, "departments"),
        ({"departments": "69, xx"}, "departments"),
        ({"departments": 69}, "departments"),
        ({"city": 12}, "city"),
        ({"no_order_days": 0}, "no_order_days"),
        ({"no_order_days": "abc"}, "no_order_days"),
        ({"not_contacted_days": True}, "not_contacted_days"),
        ({"ordered_within_days": 99999}, "ordered_within_days"),
        ({"no_order_days": 30, "ordered_within_days": 30}, "ordered_within_days"),
        ({"exclude_opposed": "yes"}, "exclude_opposed"),
        # A JSON body's "" is no number of days and no list (a form's blank is not given).
        ({"no_order_days": ""}, "no_order_days"),
        ({"not_contacted_days": ""}, "not_contacted_days"),
        ({"departments": ""}, "departments"),
    ],
)
def test_bad_filters_name_their_field(app, raw, field):
    reading = read_filters(raw)
    assert reading.filters is None and field in reading.errors


def test_form_values_are_read(app):
    reading = read_filters({"departments": "69; 2a", "no_order_days": "30", "kind": ""})
    assert reading.errors == {}
    assert reading.filters.departments == ("69", "2A")
    assert reading.filters.no_order_days == 30


def test_a_form_s_blank_filters_are_not_given(app):
    blank = FormValues(departments="", no_order_days="", not_contacted_days="", kind="")
    reading = read_filters(blank)
    assert reading.errors == {}
    assert reading.filters == TargetFilters()
