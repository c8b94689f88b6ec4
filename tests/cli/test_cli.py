"""The `plateau` command: every group answers --help, and each command does its one job."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from crm.actionlog.models import Action
from crm.auth.models import User
from crm.cli import seed_demo
from crm.extensions import db
from crm.training.models import Attempt, Shift
from crm.yaml_text import load_yaml

SCENARIO = Path(__file__).resolve().parents[2] / "seed_data" / "scenarios" / "bureau-direct.yaml"


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["demo", "--help"],
        ["serve", "--help"],
        ["db", "upgrade", "--help"],
        ["scenario", "list", "--help"],
        ["scenario", "validate", "--help"],
        ["attempt", "reset", "--help"],
        ["log", "verify", "--help"],
        ["log", "heads", "--help"],
        ["user", "create", "--help"],
        ["retention", "--help"],
    ],
)
def test_help(args):
    from click.testing import CliRunner

    from crm.cli import main

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_scenario_list(runner):
    result = runner.invoke(args=["scenario", "list"])
    assert result.exit_code == 0 and "bureau-direct" in result.output and " ok " in result.output


def test_scenario_validate_ok(runner):
    result = runner.invoke(args=["scenario", "validate", str(SCENARIO)])
    assert result.exit_code == 0, result.output


def test_scenario_validate_reports_problems_and_fails(runner, tmp_path):
    data = load_yaml(SCENARIO.read_text(encoding="utf-8"))
    data["products"][0]["sale_unit"]["quantity"] = 0
    bad = tmp_path / "bureau-direct.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["scenario", "validate", str(bad)])
    assert result.exit_code == 1
    # French, the app's default language, unless --lang chooses another.
    french = "products[0].sale_unit.quantity: 0 est hors limites : attendu un nombre entier ≥ 1"
    assert f"{bad}: {french}" in result.output
    english = runner.invoke(args=["scenario", "validate", "--lang", "en", str(bad)])
    assert english.exit_code == 1
    assert (
        f"{bad}: products[0].sale_unit.quantity: 0 is out of range: expected a whole number ≥ 1"
        in english.output
    )
    assert french not in english.output
    again = runner.invoke(args=["scenario", "validate", str(bad)])
    assert french in again.output  # the chosen language does not stick
    refused = runner.invoke(args=["scenario", "validate", "--lang", "de", str(bad)])
    assert refused.exit_code == 2 and "--lang" in refused.output


def test_scenario_validate_reports_yaml_syntax(runner, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: [unclosed\n", encoding="utf-8")
    result = runner.invoke(args=["scenario", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: erreur de syntaxe YAML à la ligne 2, colonne 1 : " in result.output


def test_attempt_reset(runner, attempt):
    result = runner.invoke(args=["attempt", "reset", str(attempt.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "superseded"
    assert runner.invoke(args=["attempt", "reset", "999"]).exit_code != 0
    again = runner.invoke(args=["attempt", "reset", str(attempt.id)])
    assert again.exit_code != 0 and "superseded" in again.output


def test_log_verify_ok_then_broken(runner, attempt):
    result = runner.invoke(args=["log", "verify", "--attempt", str(attempt.id)])
    assert result.exit_code == 0 and "ok" in result.output
    action = db.session.scalars(sa.select(Action).where(Action.attempt_id == attempt.id)).first()
    db.session.execute(
        sa.update(Action).where(Action.id == action.id).values(actor_role="evaluator")
    )
    db.session.commit()
    result = runner.invoke(args=["log", "verify", "--attempt", str(attempt.id)])
    assert result.exit_code == 1
    assert f"action id {action.id}" in result.output and "BROKEN" in result.output


def test_log_verify_all_attempts(runner, shift, other_attempt):
    result = runner.invoke(args=["log", "verify"])
    assert result.exit_code == 0 and result.output.count(": ok") == 2


def test_user_create(runner):
    result = runner.invoke(
        args=["user", "create", "alice", "--role", "trainer", "--password", "long enough pw"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User).where(User.username == "alice")).role == "trainer"
    short = runner.invoke(
        args=["user", "create", "bob", "--role", "trainer", "--password", "short"]
    )
    assert short.exit_code != 0


def test_seed_demo_is_idempotent(app):
    first = seed_demo()
    assert any("candidat1" in line for line in first)
    assert seed_demo() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 1
    shift = db.session.scalar(sa.select(Shift))
    assert shift.status == "running" and len(shift.attempts) == 3


def test_seed_demo_leaves_a_paused_demo_shift_alone(app):
    from crm.training.services import change_shift_status

    seed_demo()
    shift = db.session.scalar(sa.select(Shift))
    change_shift_status(shift, "pause")
    db.session.commit()
    assert seed_demo() == [f"demo candidates are still in shift {shift.id}"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 1
