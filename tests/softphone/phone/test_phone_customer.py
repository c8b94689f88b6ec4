"""The scripted customer on a call: turns, reactions to recorded actions, nudges, hang-ups."""

from __future__ import annotations

import pytest

from crm.actionlog.services import record
from crm.clients.identity import verify_identity
from crm.db import db
from crm.errors import Conflict, ValidationFailed
from softphone.phone.agent import load_agent
from softphone.phone.services import (
    answer_call,
    hang_up,
    hold_call,
    offer_inbound_call,
    say,
    set_agent_state,
    tick_call,
)

SCRIPT = {
    "key": "commande-papier",
    "persona": {"name": "Claire Lemoine", "temper": "hurried", "accepts_substitute": True},
    "steps": [
        {"type": "say", "say": "Bonjour, c'est Mme Lemoine."},
        {
            "type": "wait_for_words",
            "say": "Je voudrais commander du papier.",
            "words": ["numéro client", "code postal"],
            "nudge": "Vous êtes là ?",
            "give_up": "Bon, je rappellerai !",
        },
        {
            "type": "wait_for_action",
            "say": "C'est le T00001, code postal 69003.",
            "action": {"verb": "identity.verified"},
            "reply": "Merci.",
        },
        {
            "type": "branch_on_offer",
            "kind": "substitute",
            "say": "Vous l'avez en stock ?",
            "accept_say": "Va pour celui-là.",
            "refuse_say": "Non.",
        },
        {"type": "end", "say": "Au revoir !"},
    ],
}


@pytest.fixture
def scripted(ready, trainer_ctx, caller, clock):
    """A scripted inbound call answered by cand1."""
    call = offer_inbound_call(trainer_ctx, "04 99 00 00 01", SCRIPT)
    answer_call(ready, call)
    db.session.commit()
    return call


def test_the_customer_opens_the_call(ready, trainer_ctx, caller, clock, log):
    call = offer_inbound_call(trainer_ctx, "04 99 00 00 01", SCRIPT)
    assert call.script_key == "commande-papier"
    answer = answer_call(ready, call)
    assert answer.replies == ["Bonjour, c'est Mme Lemoine.", "Je voudrais commander du papier."]
    actions = log.new()
    assert [a.verb for a in actions] == [
        "call.offered",
        "contact.opened",
        "call.answered",
        "call.customer_said",
        "call.customer_said",
    ]
    said = actions[-1]
    assert (said.actor_role, said.actor_id) == ("customer", None)
    assert said.payload == {"call_id": call.id, "text": "Je voudrais commander du papier."}
    assert (said.interaction_type, said.interaction_id) == ("contact", call.contact_id)
    assert [t.speaker for t in call.turns] == ["customer", "customer"]


def test_a_turn_is_recorded_and_answered(scripted, ready, log):
    log.mark()
    result = say(ready, scripted, "Pouvez-vous me donner votre numéro client ?")
    assert result.replies == ["C'est le T00001, code postal 69003."]
    assert not result.ended
    assert log.verbs() == ["call.said", "call.customer_said"]
    said = log.new()[0]
    assert (said.actor_role, said.payload["text"]) == (
        "candidate",
        "Pouvez-vous me donner votre numéro client ?",
    )
    assert [t.speaker for t in scripted.turns][-2:] == ["agent", "customer"]


def test_words_that_do_not_fit_get_no_reply(scripted, ready, log):
    log.mark()
    assert say(ready, scripted, "Un instant.").replies == []
    assert log.verbs() == ["call.said"]


def test_the_customer_reacts_to_actions_recorded_in_the_crm(scripted, ready, caller, log):
    say(ready, scripted, "Votre numéro client ?")
    log.mark()
    verify_identity(ready, caller, {"client_number": "T00001", "last_name": "Lemoine"})
    assert log.verbs() == ["identity.verified", "call.customer_said", "call.customer_said"]
    assert [t.text for t in scripted.turns][-2:] == ["Merci.", "Vous l'avez en stock ?"]
    log.mark()
    record(ready, "offer.made", payload={"kind": "substitute", "accepted": True})
    assert log.verbs() == ["offer.made", "call.customer_said", "call.customer_said"]
    assert [a.payload["text"] for a in log.new()[1:]] == ["Va pour celui-là.", "Au revoir !"]
    # a satisfied ending leaves the hang-up to the candidate, who sees the outcome recorded
    assert scripted.status == "on_call"
    log.mark()
    hang_up(ready, scripted)
    assert log.last("call.ended").payload["customer_outcome"] == "satisfied"


def test_actions_done_early_are_remembered(scripted, ready, caller, log):
    verify_identity(ready, caller, {"client_number": "T00001", "last_name": "Lemoine"})
    log.mark()
    result = say(ready, scripted, "Votre code postal ?")
    assert result.replies == [
        "C'est le T00001, code postal 69003.",
        "Merci.",
        "Vous l'avez en stock ?",
    ]


def test_the_customer_nudges_then_hangs_up_angry(scripted, ready, clock, log):
    clock.advance(14)
    assert tick_call(ready, scripted) == []
    clock.advance(1)  # hurried: 15 s of silence
    log.mark()
    assert tick_call(ready, scripted) == ["Vous êtes là ?"]
    assert log.verbs() == ["call.customer_said"]
    clock.advance(15)
    log.mark()
    assert tick_call(ready, scripted) == ["Bon, je rappellerai !"]
    assert log.verbs() == ["call.customer_said", "call.ended"]
    ended = log.last("call.ended")
    assert (ended.actor_role, ended.payload["by"], ended.payload["outcome"]) == (
        "customer",
        "customer",
        "angry",
    )
    assert (scripted.status, scripted.ended_by) == ("ended", "customer")
    assert load_agent(ready.attempt.id).state == "wrap_up"
    assert tick_call(ready, scripted) == []


def test_an_angry_ending_after_a_turn_ends_the_call(ready, trainer_ctx, caller, clock, log):
    script = {
        "persona": {"name": "M. Colère", "temper": "angry"},
        "steps": [
            {"type": "wait_for_words", "words": ["calmez-vous"], "reply": "Me calmer ?!"},
            {"type": "end", "outcome": "angry", "say": "Je raccroche !"},
        ],
    }
    call = offer_inbound_call(trainer_ctx, "04 99 00 00 01", script)
    answer_call(ready, call)
    result = say(ready, call, "Calmez-vous, monsieur.")
    assert result.replies == ["Me calmer ?!", "Je raccroche !"]
    assert result.ended and call.status == "ended"
    assert log.verbs()[-1] == "call.ended"


def test_say_refusals(scripted, ready, log):
    for text in ("", "   ", "x" * 2001):
        log.mark()
        with pytest.raises(ValidationFailed) as caught:
            say(ready, scripted, text)
        assert "text" in caught.value.fields
        assert log.verbs() == []
    hold_call(ready, scripted)
    db.session.commit()
    log.mark()
    with pytest.raises(Conflict) as caught:
        say(ready, scripted, "Vous m'entendez ?")
    assert caught.value.code == "call_not_connected"
    assert log.verbs() == []


def test_a_call_without_script_keeps_the_transcript(ready, trainer_ctx, caller, clock, log):
    call = offer_inbound_call(trainer_ctx, "04 99 00 00 01")
    answer_call(ready, call)
    log.mark()
    assert say(ready, call, "Bonjour !").replies == []
    assert log.verbs() == ["call.said"]
    assert tick_call(ready, call) == []


def test_actions_without_a_call_do_not_disturb_anyone(ctx, clock, log):
    set_agent_state(ctx, "ready")
    record(ctx, "kb.searched", payload={"query": "délais", "results": 0})
    assert log.verbs() == ["agent.logged_on", "kb.searched"]


def test_an_outbound_call_can_carry_a_scripted_customer(ready, caller, clock, log):
    from softphone.phone.services import dial

    with pytest.raises(ValidationFailed) as caught:
        dial(ready, "04 99 00 00 01", script={"persona": {"name": "X"}, "steps": "?"})
    assert "script.steps" in caught.value.fields["script"]
    db.session.rollback()
    log.mark()
    script = {"persona": {"name": "Mme Lemoine"}, "steps": [{"type": "say", "say": "Allô ?"}]}
    result = dial(ready, "04 99 00 00 01", script=script)
    assert log.verbs() == ["contact.opened", "call.dialed", "call.customer_said"]
    assert [t.text for t in result.call.turns] == ["Allô ?"]


def test_on_hold_the_customer_hears_nothing_until_resumed(scripted, ready, caller, clock, log):
    from softphone.phone.services import resume_call

    say(ready, scripted, "Votre numéro client ?")
    hold_call(ready, scripted)
    log.mark()
    verify_identity(ready, caller, {"client_number": "T00001", "last_name": "Lemoine"})
    assert log.verbs() == ["identity.verified"]
    clock.advance(30)
    log.mark()
    resume_call(ready, scripted)
    assert log.verbs() == ["call.resumed", "call.customer_said", "call.customer_said"]
    assert [t.text for t in scripted.turns][-2:] == ["Merci.", "Vous l'avez en stock ?"]
