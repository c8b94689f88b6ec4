"""Phone services: each records exactly its actions; a refusal records nothing, changes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from crm.clients.models import ContactPerson
from crm.contacts.agenda import PARIS
from crm.contacts.models import Contact
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from softphone.phone.agent import load_agent
from softphone.phone.models import Call
from softphone.phone.services import (
    abandon_call,
    answer_call,
    dial,
    hang_up,
    hold_call,
    offer_inbound_call,
    resume_call,
    set_agent_state,
    transfer_call,
)

#: The `caller` fixture's number (see conftest), typed and in E.164.
CALLER_PHONE, CALLER_E164 = "04 99 00 00 01", "+33499000001"


def refused(log, error_type, call, *args, **kwargs):
    """Run a service expected to refuse; roll back like the boundary; nothing recorded."""
    db.session.commit()  # what came before was an earlier, committed request
    log.mark()
    with pytest.raises(error_type) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    assert log.verbs() == []
    return caught.value


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count(Call.id))),
        db.session.scalar(
            sa.select(sa.func.count(Contact.id)).where(Contact.historical.is_(False))
        ),
    )


# --- agent states ---------------------------------------------------------------------------


def test_log_on_pause_and_log_off(ctx, clock, log):
    change = set_agent_state(ctx, "ready")
    assert (change.old, change.new) == ("offline", "ready")
    assert log.verbs() == ["agent.logged_on"]
    clock.advance(90)
    log.mark()
    set_agent_state(ctx, "pause", "Formation")
    action = log.new()[0]
    assert action.verb == "agent.state_changed"
    assert action.payload == {
        "from": "ready",
        "to": "pause",
        "reason": "Formation",
        "seconds_in_previous_state": 90.0,
    }
    clock.advance(30)
    log.mark()
    set_agent_state(ctx, "pause", "Réunion")  # another reason, still paused
    set_agent_state(ctx, "offline")
    assert log.verbs() == ["agent.state_changed", "agent.logged_off"]
    assert log.last("agent.logged_off").payload["logged_on_seconds"] == 120.0
    agent = load_agent(ctx.attempt.id)
    assert (agent.state, agent.pause_reason) == ("offline", None)


def test_pause_refusals(ctx, clock, log):
    set_agent_state(ctx, "ready")
    db.session.commit()
    error = refused(log, ValidationFailed, set_agent_state, ctx, "pause", "Sieste")
    assert "Administratif" in error.fields["reason"]
    refused(log, ValidationFailed, set_agent_state, ctx, "pause")
    refused(log, ValidationFailed, set_agent_state, ctx, "ready", "Pause")
    refused(log, ValidationFailed, set_agent_state, ctx, "on_call")
    set_agent_state(ctx, "pause", "Pause")
    db.session.commit()
    refused(log, InvalidTransition, set_agent_state, ctx, "pause", "Pause")
    assert load_agent(ctx.attempt.id).state == "pause"


def test_scenario_pause_reasons_replace_the_defaults(ctx, clock, log):
    ctx.attempt.settings = {**ctx.attempt.settings, "pause_reasons": ["Brief d'équipe"]}
    set_agent_state(ctx, "ready")
    db.session.commit()
    refused(log, ValidationFailed, set_agent_state, ctx, "pause", "Pause")
    set_agent_state(ctx, "pause", "Brief d'équipe")


def test_nothing_to_pause_when_offline(ctx, clock, log):
    error = refused(log, InvalidTransition, set_agent_state, ctx, "pause", "Pause")
    assert error.details == {"machine": "agent", "status": "offline", "event": "pause"}
    assert load_agent(ctx.attempt.id) is None


# --- inbound calls ----------------------------------------------------------------------------


def test_offer_rings_with_the_screen_pop_client(ready, trainer_ctx, caller, clock, log):
    call = offer_inbound_call(trainer_ctx, CALLER_PHONE)
    assert (call.status, call.number, call.client_id) == ("ringing", CALLER_E164, caller.id)
    [action] = log.new()
    assert (action.verb, action.actor_role, action.object_type) == (
        "call.offered",
        "trainer",
        "call",
    )
    assert action.payload["matching_client_ids"] == [caller.id]
    assert action.payload["agent_state"] == "ringing"
    assert load_agent(ready.attempt.id).current_call_id == call.id


def test_a_contact_persons_number_pops_its_company(ready, trainer_ctx, attempt, clock, make_client):
    company = make_client(attempt, "04 99 00 00 02", number="T00002", segment="b2b")
    db.session.add(
        ContactPerson(
            attempt_id=attempt.id,
            client_id=company.id,
            first_name="Luc",
            last_name="Vidal",
            phone="04.99.00.00.03",
        )
    )
    db.session.commit()
    assert offer_inbound_call(trainer_ctx, "+33 4 99 00 00 03").client_id == company.id


def test_an_ambiguous_or_unknown_number_pops_nothing(
    ready, trainer_ctx, attempt, clock, log, make_client
):
    make_client(attempt, "04 99 00 00 05", number="T00003")
    make_client(attempt, "04 99 00 00 05", number="T00004")
    call = offer_inbound_call(trainer_ctx, "0499000005")
    assert call.client_id is None
    assert len(log.last("call.offered").payload["matching_client_ids"]) == 2
    abandon_call(trainer_ctx, call)
    assert offer_inbound_call(trainer_ctx, "+44 20 7946 0000").client_id is None


def test_offer_refusals(ctx, trainer_ctx, caller, clock, log):
    error = refused(log, InvalidTransition, offer_inbound_call, trainer_ctx, CALLER_PHONE)
    assert error.details["status"] == "offline"
    set_agent_state(ctx, "ready")
    db.session.commit()
    error = refused(log, ValidationFailed, offer_inbound_call, trainer_ctx, "12 34")
    assert "number" in error.fields
    error = refused(log, ValidationFailed, offer_inbound_call, trainer_ctx, CALLER_PHONE, {"x": 1})
    assert "persona" in error.fields["script"]
    assert counts() == (0, 0)


def test_answer_opens_the_contact_and_connects(ready, trainer_ctx, caller, clock, log):
    call = offer_inbound_call(trainer_ctx, CALLER_PHONE)
    db.session.commit()
    clock.advance(6.5)
    log.mark()
    answer = answer_call(ready, call)
    assert log.verbs() == ["contact.opened", "call.answered"]
    answered = log.last("call.answered")
    assert answered.payload["ring_seconds"] == 6.5
    assert answered.interaction_type == "contact"
    assert answered.interaction_id == answer.contact.id
    assert (answer.client_id, answer.contact.client_id) == (caller.id, caller.id)
    assert (answer.contact.channel, answer.contact.direction) == ("phone", "inbound")
    assert answer.contact.party == CALLER_E164
    assert (call.status, call.contact_id, answer.replies) == ("on_call", answer.contact.id, [])
    assert load_agent(ready.attempt.id).state == "on_call"
    refused(log, InvalidTransition, answer_call, ready, call)


def test_another_attempts_call_is_not_found(ready, other_attempt, people, clock, log):
    from crm.actionlog.services import Ctx

    other = Ctx(other_attempt, people["cand2"].id, "candidate")
    set_agent_state(other, "ready")
    foreign = offer_inbound_call(other, CALLER_PHONE)
    db.session.commit()
    refused(log, NotFound, answer_call, ready, foreign)
    refused(log, NotFound, hang_up, ready, foreign)
    assert foreign.status == "ringing"


def test_abandon_returns_the_agent_to_ready(ready, trainer_ctx, caller, clock, log):
    call = offer_inbound_call(trainer_ctx, CALLER_PHONE)
    clock.advance(30)
    log.mark()
    abandon_call(trainer_ctx, call)
    [action] = log.new()
    assert action.verb == "call.abandoned"
    assert action.payload["ring_seconds"] == 30.0 and action.payload["reason"] == "timeout"
    assert (call.status, call.ended_by) == ("abandoned", "caller")
    agent = load_agent(ready.attempt.id)
    assert (agent.state, agent.current_call_id) == ("ready", None)
    assert counts() == (1, 0)  # no contact for a call nobody answered


def _connected(ctx, trainer_ctx, clock) -> Call:
    call = offer_inbound_call(trainer_ctx, CALLER_PHONE)
    answer_call(ctx, call)
    db.session.commit()
    return call


def test_hold_time_is_measured_server_side(ready, trainer_ctx, caller, clock, log):
    call = _connected(ready, trainer_ctx, clock)
    clock.advance(10)
    log.mark()
    hold_call(ready, call)
    assert load_agent(ready.attempt.id).state == "on_hold"
    clock.advance(42)
    resume_call(ready, call)
    assert log.verbs() == ["call.held", "call.resumed"]
    assert log.last("call.resumed").payload["seconds"] == 42.0
    clock.advance(5)
    hold_call(ready, call)
    clock.advance(8)
    log.mark()
    hang_up(ready, call)  # hanging up during a hold closes it
    ended = log.last("call.ended").payload
    assert (ended["hold_seconds"], ended["hold_count"]) == (50.0, 2)
    assert ended["talk_seconds"] == 15.0 and ended["duration_seconds"] == 65.0
    refused(log, InvalidTransition, resume_call, ready, call)
    refused(log, InvalidTransition, hold_call, ready, call)


def test_hang_up_then_qualify_returns_the_agent_to_ready(ready, trainer_ctx, caller, clock, log):
    call = _connected(ready, trainer_ctx, clock)
    clock.advance(60)
    log.mark()
    hang_up(ready, call)
    assert log.verbs() == ["call.ended"]
    assert load_agent(ready.attempt.id).state == "wrap_up"
    db.session.commit()
    error = refused(log, Conflict, offer_inbound_call, trainer_ctx, CALLER_PHONE)
    assert error.code == "contact_not_qualified"
    assert refused(log, Conflict, dial, ready, CALLER_PHONE).code == "contact_not_qualified"
    clock.advance(25)
    contact = db.session.get(Contact, call.contact_id)
    qualify_contact(ready, contact, "INFO", "Horaires d'ouverture donnés.")
    assert log.verbs() == ["contact.qualified", "agent.state_changed"]
    released = log.last("agent.state_changed")
    assert released.payload["cause"] == "contact.qualified"
    assert released.payload["wrap_up_seconds"] == 25.0
    agent = load_agent(ready.attempt.id)
    assert (agent.state, agent.current_call_id) == ("ready", None)


def test_a_contact_qualified_during_the_call_skips_wrap_up(ready, trainer_ctx, caller, clock, log):
    call = _connected(ready, trainer_ctx, clock)
    qualify_contact(ready, db.session.get(Contact, call.contact_id), "INFO", "Renseigné.")
    assert load_agent(ready.attempt.id).state == "on_call"  # qualifying does not end the call
    log.mark()
    hang_up(ready, call)
    assert log.verbs() == ["call.ended", "agent.state_changed"]
    assert log.last("agent.state_changed").payload["cause"] == "already_qualified"
    assert load_agent(ready.attempt.id).state == "ready"


def test_another_contact_qualified_does_not_release_the_agent(ready, trainer_ctx, caller, clock):
    call = _connected(ready, trainer_ctx, clock)
    hang_up(ready, call)
    other = Contact(attempt_id=ready.attempt.id, channel="email", direction="inbound")
    db.session.add(other)
    db.session.flush()
    qualify_contact(ready, other, "INFO", "Autre canal.")
    assert load_agent(ready.attempt.id).state == "wrap_up"


def test_transfer_refusals_and_consultative_transfer(ready, trainer_ctx, caller, clock, log):
    call = _connected(ready, trainer_ctx, clock)
    error = refused(log, ValidationFailed, transfer_call, ready, call, "cuisine", "loud")
    assert set(error.fields) == {"target", "mode"}
    assert "service-technique" in error.fields["target"]
    clock.advance(20)
    result = transfer_call(ready, call, "service-technique", "consult")
    assert "je prends le client" in result.reply
    assert call.turns[-1].speaker == "system"
    assert call.turns[-1].text.startswith("Service technique : ")
    [action] = log.new()
    assert action.verb == "call.transferred"
    assert (action.payload["target"], action.payload["mode"]) == ("service-technique", "consult")
    assert (call.status, call.transferred_to) == ("transferred", "service-technique")
    assert load_agent(ready.attempt.id).state == "wrap_up"
    refused(log, InvalidTransition, transfer_call, ready, call, "superviseur", "blind")


def test_transfer_targets_come_from_the_scenario(ready, trainer_ctx, caller, clock, log):
    ready.attempt.settings = {
        **ready.attempt.settings,
        "transfer_targets": [{"key": "sav", "label": "SAV", "answer": "SAV, j'écoute."}],
    }
    call = _connected(ready, trainer_ctx, clock)
    refused(log, ValidationFailed, transfer_call, ready, call, "superviseur", "blind")
    assert transfer_call(ready, call, "sav", "blind").reply is None  # blind: nobody consulted


# --- outbound calls and the calling rules -----------------------------------------------------


def test_dial_within_the_rules_connects(ready, caller, clock, log):
    result = dial(ready, "04-99-00-00-01")
    assert result.breaches == ()
    assert log.verbs() == ["contact.opened", "call.dialed"]
    call = result.call
    assert (call.direction, call.status, call.client_id) == ("outbound", "on_call", caller.id)
    assert db.session.get(Contact, call.contact_id).direction == "outbound"
    assert log.last("call.dialed").payload["rules_acknowledged"] == []
    assert load_agent(ready.attempt.id).state == "on_call"


def _lunch_time(clock) -> None:
    day = clock.now.astimezone(PARIS).date()
    clock.set(datetime.combine(day, time(13, 30), PARIS))


def test_dial_outside_the_windows_warns_and_keeps_the_warning(ready, caller, clock, log):
    _lunch_time(clock)
    result = dial(ready, CALLER_PHONE)
    assert result.call is None
    assert [b.rule for b in result.breaches] == ["calling_window"]
    [action] = log.new()
    assert (action.verb, action.object_type, action.object_id) == (
        "call.rules_warned",
        "client",
        caller.id,
    )
    assert action.payload["acknowledged"] is False
    assert action.payload["breaches"][0]["rule"] == "calling_window"
    assert counts() == (0, 0)
    assert load_agent(ready.attempt.id).state == "ready"


def test_dial_acknowledging_the_rules_records_the_breach(ready, caller, clock, log):
    _lunch_time(clock)
    result = dial(ready, CALLER_PHONE, acknowledge_rules=True)
    assert result.call is not None
    assert log.verbs() == ["contact.opened", "call.dialed", "call.rules_breached"]
    breach = log.last("call.rules_breached")
    assert breach.payload["breaches"][0]["rule"] == "calling_window"
    assert breach.object_id == result.call.id
    assert log.last("call.dialed").payload["rules_acknowledged"] == ["calling_window"]


def test_a_do_not_call_client_is_dialled_only_knowingly(ready, caller, clock, log):
    caller.do_not_call = True
    db.session.commit()
    log.mark()
    warned = dial(ready, CALLER_PHONE)
    assert warned.call is None and [b.rule for b in warned.breaches] == ["do_not_call"]
    assert log.verbs() == ["call.rules_warned"] and counts() == (0, 0)
    result = dial(ready, CALLER_PHONE, acknowledge_rules=True)
    assert result.call is not None and result.call.client_id == caller.id
    assert log.verbs()[-3:] == ["contact.opened", "call.dialed", "call.rules_breached"]
    breach = log.last("call.rules_breached").payload["breaches"][0]
    assert (breach["rule"], breach["severe"]) == ("do_not_call", True)


def _past_outbound(attempt, number: str, days_ago: int, code: str = "ABSENT") -> None:
    started = datetime.now(PARIS) - timedelta(days=days_ago)
    db.session.add(
        Contact(
            attempt_id=attempt.id,
            channel="phone",
            direction="outbound",
            party=number,
            code=code,
            note="Historique",
            started_at=started,
            qualified_at=started + timedelta(minutes=3),
            historical=True,
        )
    )
    db.session.commit()


def test_a_fifth_attempt_in_30_days_is_a_breach(ready, attempt, caller, clock, log):
    for days_ago in (1, 3, 8, 20):
        _past_outbound(attempt, "04 99 00 00 01", days_ago)
    _past_outbound(attempt, "04 99 00 00 09", 2)  # another number does not count
    log.mark()
    result = dial(ready, CALLER_PHONE)
    assert [b.rule for b in result.breaches] == ["max_attempts"]
    assert "Déjà 4 tentatives" in result.breaches[0].message


def test_a_refusal_in_the_history_is_a_breach_that_can_be_acknowledged(
    ready, attempt, caller, clock, log
):
    _past_outbound(attempt, CALLER_E164, 10, code="REFUS")
    log.mark()
    assert [b.rule for b in dial(ready, CALLER_PHONE).breaches] == ["refusal"]
    result = dial(ready, CALLER_PHONE, acknowledge_rules=True)
    assert result.call is not None
    assert log.verbs() == [
        "call.rules_warned",
        "contact.opened",
        "call.dialed",
        "call.rules_breached",
    ]


def test_dial_refusals_record_nothing(ctx, ready, caller, clock, log):
    error = refused(log, ValidationFailed, dial, ready, "appelle-moi")
    assert "number" in error.fields
    set_agent_state(ctx, "pause", "Pause")
    db.session.commit()
    error = refused(log, InvalidTransition, dial, ready, CALLER_PHONE)
    assert error.details["status"] == "pause"
    set_agent_state(ctx, "ready")
    open_contact(ready, caller, "email", "inbound")
    db.session.commit()
    assert refused(log, Conflict, dial, ready, CALLER_PHONE).code == "contact_not_qualified"
    assert counts() == (0, 1)
