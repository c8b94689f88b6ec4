"""The phone session: logged on to work, logged off at the end of the shift."""

from __future__ import annotations

from crm.db import db
from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED
from softphone.phone.services import set_agent_state
from tests.evaluation.conftest import last


def test_never_logged_on_is_not_observed(judge):
    assert judge("phone_session_procedure").status == NOT_OBSERVED


def test_logged_on_then_off_is_met(ctx, judge):
    set_agent_state(ctx, "ready")
    on = last("agent.logged_on")
    set_agent_state(ctx, "offline")
    off = last("agent.logged_off")
    result = judge("phone_session_procedure")
    assert (result.status, result.met_ids) == (MET, tuple(sorted((on.id, off.id))))


def test_still_logged_on_waits_while_the_shift_runs_then_fails(attempt, ctx, judge):
    set_agent_state(ctx, "ready")
    on = last("agent.logged_on")
    assert judge("phone_session_procedure").status == NOT_OBSERVED
    attempt.shift.status = "ended"
    db.session.flush()
    result = judge("phone_session_procedure")
    assert (result.status, result.not_met_ids) == (NOT_MET, (on.id,))
    assert "Poste resté connecté à la fin de la séance" in result.explanation
