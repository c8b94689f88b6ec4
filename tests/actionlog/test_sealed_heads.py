"""A signed-off attempt's log cannot be cut or rewritten unnoticed, even with its head fixed:
`plateau log verify` checks the heads sealed at sign-off, `plateau log heads` exports every
head to keep outside the database, and `log verify --heads FILE` checks against that copy.
The grades CSV and the PDF report print each attempt's count and head."""

from __future__ import annotations

import csv
import io
import json
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from crm.actionlog.chain import action_hash
from crm.actionlog.models import Action
from crm.actionlog.services import record, verify_chain
from crm.evaluation.marking.models import SignOff
from crm.evaluation.marking.services import save_grades, sign_off_grades, submit_marking
from crm.evaluation.standards import get_standard
from crm.extensions import db
from crm.training.models import Attempt

CQP = "cqp-relation-commerciale-a-distance"


def _work(ctx, n: int) -> None:
    for i in range(n):
        record(ctx, "kb.searched", payload={"query": f"q{i}", "results": i})
    db.session.commit()


def _sign_off(attempt, jury) -> SignOff:
    standard = get_standard(CQP)
    save_grades(attempt, standard, jury, {c.id: {"grade": "acquired"} for c in standard.criteria})
    submit_marking(attempt, standard, jury)
    signed = sign_off_grades(attempt, standard, jury)
    db.session.commit()
    return signed


def _cut_after(attempt, keep: int) -> None:
    """Delete the actions after `keep` and fix the attempt's head and count, as a forger would."""
    last = db.session.scalar(
        sa.select(Action).where(Action.attempt_id == attempt.id, Action.seq == keep)
    )
    db.session.execute(sa.delete(Action).where(Action.attempt_id == attempt.id, Action.seq > keep))
    db.session.execute(
        sa.update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(chain_head=last.hash, action_count=keep)
    )
    db.session.commit()
    db.session.expire_all()


def _rewrite_from(attempt, seq: int) -> None:
    """Alter action `seq` and recompute every hash after it, fixing the head (a full rewrite)."""
    actions = db.session.scalars(
        sa.select(Action).where(Action.attempt_id == attempt.id).order_by(Action.seq)
    ).all()
    prev = actions[seq - 2].hash
    for action in actions[seq - 1 :]:
        if action.seq == seq:
            action.payload = {**action.payload, "query": "réécrit"}
        action.prev_hash = prev
        action.hash = action_hash(action)
        prev = action.hash
    attempt.chain_head = prev
    db.session.commit()


def test_cutting_a_signed_log_and_fixing_its_head_fails_verification(runner, ctx, attempt, people):
    _work(ctx, 6)
    signed = _sign_off(attempt, people["evaluator"])
    assert signed.action_count == 7
    _cut_after(attempt, 4)
    # The attempt row agrees with its (shortened) chain: only the sign-off's seal tells.
    report = verify_chain(attempt)
    assert not report.valid and "sealed at sign-off" in report.reason
    result = runner.invoke(args=["log", "verify", "--attempt", str(attempt.id)])
    assert result.exit_code == 1
    assert f"attempt {attempt.id}: BROKEN" in result.output
    assert "4 actions but 7 were sealed at sign-off" in result.output
    everything = runner.invoke(args=["log", "verify"])
    assert everything.exit_code == 1 and f"attempt {attempt.id}: BROKEN" in everything.output


def test_rewriting_a_signed_log_fails_at_the_sealed_action(runner, ctx, attempt, people):
    _work(ctx, 4)
    _sign_off(attempt, people["evaluator"])
    _rewrite_from(attempt, 3)
    report = verify_chain(attempt)
    assert not report.valid and report.broken_seq == 5 and "rewritten" in report.reason
    result = runner.invoke(args=["log", "verify", "--attempt", str(attempt.id)])
    assert result.exit_code == 1 and "differs from the head sealed at sign-off" in result.output


def test_a_log_that_grew_after_sign_off_still_verifies(runner, ctx, attempt, people):
    _work(ctx, 2)
    _sign_off(attempt, people["evaluator"])
    _work(ctx, 3)
    assert verify_chain(attempt).valid
    result = runner.invoke(args=["log", "verify", "--attempt", str(attempt.id)])
    assert result.exit_code == 0 and "ok (6 actions)" in result.output


def test_the_pdf_prints_heads_and_says_a_cut_signed_log_is_altered(api, ctx, attempt, people):
    _work(ctx, 3)
    signed = _sign_off(attempt, people["evaluator"])
    jury = api.as_("jury")

    def text():
        data = jury.get(f"/attempts/{attempt.id}/report.pdf", standard=CQP).get_data()
        pages = PdfReader(BytesIO(data)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    whole = text()
    assert "4 actions enregistrées dans le journal" in whole
    assert f"SHA-256 {signed.chain_head}" in whole
    assert "passant par la tête enregistrée à la signature" in whole
    _cut_after(attempt, 2)
    cut = text()
    assert "ALTÉRÉE" in cut and "2 actions enregistrées dans le journal" in cut
    assert f"4 actions, tête SHA-256 {signed.chain_head}" in cut


def test_grades_csv_prints_each_attempt_s_count_and_heads(api, ctx, attempt, people):
    _work(ctx, 2)
    signed = _sign_off(attempt, people["evaluator"])
    _work(ctx, 1)
    db.session.refresh(attempt)
    raw = api.as_("jury").get(f"/shifts/{attempt.shift_id}/grades.csv", standard=CQP).get_data()
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[-4:] == [
        "Actions du journal",
        "Tête de chaîne (SHA-256)",
        "Actions à la signature",
        "Tête de chaîne à la signature",
    ]
    for row in rows[1:]:
        assert row[-4:] == ["4", attempt.chain_head, "3", signed.chain_head]
    # « Signé » as the bench writes a moment: Paris time, French date (not « 2026-12-07 … UTC »).
    when = signed.signed_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M")
    assert {row[header.index("Signé")] for row in rows[1:]} == {f"oui, le {when}"}


def test_log_heads_exports_csv_and_json(runner, ctx, attempt, other_attempt, people):
    _work(ctx, 1)
    signed = _sign_off(attempt, people["evaluator"])
    result = runner.invoke(args=["log", "heads"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff")), delimiter=";"))
    assert [int(r["attempt_id"]) for r in rows] == [attempt.id, other_attempt.id]
    mine = rows[0]
    assert mine["candidate"] == "candidat1" and mine["action_count"] == "2"
    assert mine["chain_head"] == attempt.chain_head
    assert mine["sealed_by"] == f"sign-off {CQP}"
    assert (mine["sealed_action_count"], mine["sealed_chain_head"]) == ("2", signed.chain_head)
    assert mine["sealed_at"] and mine["read_at"]
    assert rows[1]["sealed_chain_head"] == "" and rows[1]["candidate"] == "candidat2"

    as_json = runner.invoke(args=["log", "heads", "--format", "json", "--shift", "9999"])
    assert as_json.exit_code != 0 and "no shift 9999" in as_json.output
    other_shift = runner.invoke(
        args=["log", "heads", "--format", "json", "--shift", str(attempt.shift_id)]
    )
    listed = json.loads(other_shift.output)
    assert {r["attempt_id"] for r in listed} == {attempt.id, other_attempt.id}
    assert listed[0]["chain_head"] == attempt.chain_head


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_verify_against_heads_kept_outside_the_database(runner, ctx, attempt, tmp_path, fmt):
    _work(ctx, 5)
    exported = runner.invoke(args=["log", "heads", "--format", fmt])
    heads = tmp_path / f"heads.{fmt}"
    heads.write_text(exported.output, encoding="utf-8")
    ok = runner.invoke(args=["log", "verify", "--heads", str(heads)])
    assert ok.exit_code == 0, ok.output
    # Unsigned: cutting the log and fixing the head fools the database alone, not the copy.
    _cut_after(attempt, 3)
    assert runner.invoke(args=["log", "verify"]).exit_code == 0
    result = runner.invoke(args=["log", "verify", "--heads", str(heads)])
    assert result.exit_code == 1
    assert f"attempt {attempt.id}: BROKEN" in result.output and "heads." in result.output


def test_verify_heads_names_missing_attempts_and_refuses_bad_files(runner, attempt, tmp_path):
    exported = runner.invoke(args=["log", "heads", "--format", "json"])
    listed = json.loads(exported.output)
    listed.append({**listed[0], "attempt_id": 4242})
    heads = tmp_path / "heads.json"
    heads.write_text(json.dumps(listed), encoding="utf-8")
    result = runner.invoke(args=["log", "verify", "--heads", str(heads)])
    assert result.exit_code == 1 and "attempt 4242: MISSING" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("attempt_id;chain_head\n1;abc\n", encoding="utf-8")
    refused = runner.invoke(args=["log", "verify", "--heads", str(bad)])
    assert refused.exit_code != 0 and "columns missing" in refused.output
