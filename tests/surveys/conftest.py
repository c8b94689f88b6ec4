"""A running shift on the survey pack, cand1 on the phone with a scripted respondent."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.actionlog.services import Ctx
from crm.clients.models import Client
from crm.contacts.models import Contact
from crm.db import db
from crm.training.services import change_shift_status, create_shift
from softphone.phone.agent import load_agent, set_agent_state
from softphone.phone.dialing import dial
from softphone.phone.models import Call
from softphone.phone.services import hang_up
from softphone.scenarios.timeline import call_plan_script

PACK = "enquete-ostral-bureaux"


@pytest.fixture
def survey_attempt(app, people):
    """cand1's attempt of a running shift on the survey pack."""
    shift = create_shift(PACK, [people["cand1"]], created_by=people["trainer"])
    change_shift_status(shift, "start")
    db.session.commit()
    return shift.attempts[0]


@pytest.fixture
def base_ctx(survey_attempt, people) -> Ctx:
    return Ctx(survey_attempt, people["cand1"].id, "candidate")


@pytest.fixture
def call_respondent(survey_attempt, base_ctx):
    """call_respondent("C41001") → the open contact of a call dialled to that respondent."""

    def run(number: str) -> Contact:
        client = db.session.scalar(
            sa.select(Client).where(Client.attempt_id == survey_attempt.id, Client.number == number)
        )
        agent = load_agent(survey_attempt.id)
        if agent is None or agent.state == "offline":
            set_agent_state(base_ctx, "ready")
        phone = client.phones[0].e164
        call = dial(base_ctx, phone, script=call_plan_script(survey_attempt, phone)).call
        db.session.commit()
        return db.session.get(Contact, call.contact_id)

    return run


@pytest.fixture
def hang_up_contact():
    """hang_up_contact(ctx, contact): end the contact's call if the respondent has not."""

    def run(ctx: Ctx, contact: Contact) -> None:
        call = db.session.scalar(sa.select(Call).where(Call.contact_id == contact.id))
        if call is not None and call.status in ("on_call", "on_hold"):
            hang_up(ctx, call)

    return run
