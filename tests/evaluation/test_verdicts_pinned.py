"""The verdicts of a fixed attempt, pinned: what every rule and every standard decides on a long
shift (tests/evaluation/long_shift.py, ~700 actions) must not move when the evaluation is made
faster or reorganised.

The expected results are in pinned_verdicts.json, written from the evaluation as it stood before
its speed-up (issue 11). A deliberate change of a rule's verdict or wording updates the file:
run this test with PLATEAU_PIN_VERDICTS=write, read the diff, commit it with the rule.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from crm.evaluation.rules import RULES
from crm.evaluation.rules.evidence import AttemptEvidence
from crm.evaluation.standards import list_standards
from crm.evaluation.verdicts import evaluate, run_rules
from tests.conftest import DATABASE_URL

from .long_shift import LongShift

PINNED = Path(__file__).with_name("pinned_verdicts.json")
#: The size of the pinned log: every round of the long shift, several times over.
ACTIONS = 700


def decided(attempt) -> dict:
    """Every registered rule's full result, and every standard's criteria, as plain data."""
    rules = {
        rule_id: result.to_dict()
        for rule_id, result in run_rules(AttemptEvidence(attempt), sorted(RULES)).items()
    }
    standards = {}
    for standard in list_standards():
        evaluation = evaluate(attempt, standard)
        standards[standard.id] = {
            "provisional": evaluation.provisional,
            "criteria": {
                v.criterion.id: {
                    "status": v.status,
                    "evidence": list(v.evidence),
                    "met_ids": list(v.met_ids),
                    "not_met_ids": list(v.not_met_ids),
                    "explanation": v.explanation,
                    "provisional": v.provisional,
                }
                for v in evaluation.criteria
            },
        }
    return {"actions": attempt.action_count, "rules": rules, "standards": standards}


@pytest.fixture
def long_shift(app, attempt, people):
    """cand1's attempt after a long shift of about ACTIONS actions."""
    LongShift(app, attempt, people["cand1"], people["trainer"]).work_until(ACTIONS)
    return attempt


# Ids (cited in the evidence and the explanations) start afresh in each SQLite test database;
# a server's sequences go on across rolled-back tests.
@pytest.mark.skipif(bool(DATABASE_URL), reason="pinned ids are those of a fresh SQLite database")
def test_every_verdict_of_a_long_shift_is_the_pinned_one(long_shift):
    found = decided(long_shift)
    if os.environ.get("PLATEAU_PIN_VERDICTS") == "write":
        PINNED.write_text(json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        pytest.fail(f"{PINNED.name} written: check its diff, then run again without the variable")
    pinned = json.loads(PINNED.read_text())
    assert found["actions"] == pinned["actions"], "the long shift itself changed"
    for rule_id in sorted(set(pinned["rules"]) | set(found["rules"])):
        assert found["rules"].get(rule_id) == pinned["rules"].get(rule_id), rule_id
    for standard_id in sorted(set(pinned["standards"]) | set(found["standards"])):
        got, want = found["standards"].get(standard_id), pinned["standards"].get(standard_id)
        assert got == want, standard_id


def test_the_pinned_shift_decides_rules_both_ways():
    """The pinned attempt is worth pinning: its rules are met, not met, and not observed."""
    statuses = {r["status"] for r in json.loads(PINNED.read_text())["rules"].values()}
    assert statuses == {"met", "not_met", "not_observed"}
