"""The action log: recording inside the caller's transaction, and the hash chain's checks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.chain import GENESIS, link_hash
from crm.actionlog.models import Action
from crm.actionlog.services import record, verify_chain
from crm.extensions import db


def _actions(attempt):
    return db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    ).all()


def test_attempt_starts_with_one_action_chained_from_genesis(attempt):
    actions = _actions(attempt)
    assert [a.verb for a in actions] == ["attempt.started"]
    assert actions[0].prev_hash == GENESIS
    assert attempt.chain_head == actions[0].hash
    assert verify_chain(attempt).valid


def test_record_links_each_action_to_the_previous_and_moves_the_head(ctx, attempt):
    first = record(ctx, "kb.searched", payload={"query": "livraison", "results": 3})
    second = record(ctx, "kb.searched", payload={"query": "retour", "results": 1})
    db.session.commit()
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    assert attempt.chain_head == second.hash
    assert attempt.action_count == second.seq
    report = verify_chain(attempt)
    assert report.valid and report.checked == 3


def test_hash_is_sha256_of_the_canonical_form(ctx):
    action = record(ctx, "kb.read", payload={"slug": "retours"})
    recomputed = link_hash(
        attempt_id=action.attempt_id,
        seq=action.seq,
        actor_id=action.actor_id,
        actor_role=action.actor_role,
        at=action.at,
        verb=action.verb,
        object_type=action.object_type,
        object_id=action.object_id,
        interaction_type=action.interaction_type,
        interaction_id=action.interaction_id,
        payload=action.payload,
        prev_hash=action.prev_hash,
    )
    assert recomputed == action.hash and len(action.hash) == 64


def test_unknown_verb_is_refused(ctx):
    with pytest.raises(ValueError, match="catalog"):
        record(ctx, "client.teleported")


def test_payload_values_are_normalised_to_json(ctx):
    from datetime import date
    from decimal import Decimal

    action = record(ctx, "kb.searched", payload={"amount": Decimal("12.5"), "on": date(2026, 1, 2)})
    assert action.payload == {"amount": "12.50", "on": "2026-01-02"}


def test_a_tampered_payload_is_detected_at_its_action(ctx, attempt):
    record(ctx, "kb.searched", payload={"query": "a"})
    target = record(ctx, "kb.searched", payload={"query": "b"})
    record(ctx, "kb.searched", payload={"query": "c"})
    db.session.commit()
    db.session.execute(
        sa.update(Action).where(Action.id == target.id).values(payload={"query": "forged"})
    )
    db.session.commit()
    report = verify_chain(attempt)
    assert not report.valid
    assert report.broken_at == target.id
    assert report.reason == "content was altered"


def test_a_deleted_row_is_detected_at_the_next_action(ctx, attempt):
    record(ctx, "kb.searched", payload={"query": "a"})
    victim = record(ctx, "kb.searched", payload={"query": "b"})
    after = record(ctx, "kb.searched", payload={"query": "c"})
    db.session.commit()
    db.session.execute(sa.delete(Action).where(Action.id == victim.id))
    db.session.commit()
    report = verify_chain(attempt)
    assert not report.valid
    assert report.broken_at == after.id
    assert "missing" in report.reason


def test_a_removed_tail_is_detected_by_the_head(ctx, attempt):
    record(ctx, "kb.searched", payload={"query": "a"})
    last = record(ctx, "kb.searched", payload={"query": "b"})
    db.session.commit()
    db.session.execute(sa.delete(Action).where(Action.id == last.id))
    db.session.commit()
    report = verify_chain(attempt)
    assert not report.valid and report.broken_at is None
    assert "head" in report.reason


def test_a_rewritten_chain_still_fails_against_the_attempt_head(ctx, attempt):
    victim = record(ctx, "kb.searched", payload={"query": "a"})
    db.session.commit()
    # A forger recomputing the row's own hash still breaks the link stored on the attempt.
    forged = dict(victim.to_dict(), payload={"query": "forged"})
    new_hash = link_hash(
        **{
            k: forged[k]
            for k in (
                "attempt_id",
                "seq",
                "actor_id",
                "actor_role",
                "verb",
                "object_type",
                "object_id",
                "interaction_type",
                "interaction_id",
                "payload",
                "prev_hash",
            )
        },
        at=victim.at,
    )
    db.session.execute(
        sa.update(Action)
        .where(Action.id == victim.id)
        .values(payload={"query": "forged"}, hash=new_hash)
    )
    db.session.commit()
    assert not verify_chain(attempt).valid


def test_a_rolled_back_transaction_leaves_neither_change_nor_action(ctx, attempt):
    before = attempt.action_count
    record(ctx, "kb.searched", payload={"query": "x"})
    db.session.rollback()
    db.session.refresh(attempt)
    assert attempt.action_count == before
    assert len(_actions(attempt)) == before
    assert verify_chain(attempt).valid


def test_actions_of_two_attempts_form_separate_chains(ctx, attempt, other_attempt, people):
    from crm.actionlog.services import Ctx

    record(ctx, "kb.searched", payload={"query": "a"})
    record(Ctx(other_attempt, people["cand2"].id, "candidate"), "kb.searched", payload={})
    db.session.commit()
    assert verify_chain(attempt).valid and verify_chain(other_attempt).valid
    assert {a.attempt_id for a in _actions(attempt)} == {attempt.id}
