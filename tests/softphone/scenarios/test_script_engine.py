"""The scripted-customer engine, step by step, with a fake clock (no sleeping)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from softphone.scenarios import Engine, ScriptError
from softphone.scenarios.persona import DEFAULT_NUDGES
from softphone.scenarios.text import fold, mentions


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self):
        self.now = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def order_script(**persona) -> dict:
    """A customer ordering paper: identity, stock-out, substitute offer, recap, goodbye."""
    return {
        "key": "commande-rupture",
        "persona": {"name": "Mme Martin", "temper": "calm", **persona},
        "steps": [
            {"type": "say", "say": "Bonjour, je voudrais commander du papier."},
            {
                "type": "wait_for_action",
                "say": "C'est pour mon bureau.",
                "action": {"verb": "identity.verified"},
                "nudge": ["Vous avez besoin de mon numéro client ?", "Allô ?"],
                "nudge_after": 20,
                "reply": "Parfait.",
            },
            {
                "type": "branch_on_offer",
                "id": "offre",
                "say": "Alors, vous l'avez en stock ?",
                "kind": "substitute",
                "accept_say": "D'accord pour ce modèle.",
                "refuse_say": "Non merci, j'attendrai le réassort.",
                "on_refuse": "fin-refus",
            },
            {"type": "wait_for_words", "words": ["récapitulatif", "je récapitule"]},
            {"type": "end", "say": "Merci, au revoir.", "outcome": "satisfied"},
            {"type": "end", "id": "fin-refus", "say": "Tant pis, au revoir.", "hang_up": False},
        ],
    }


def test_start_says_the_opening_lines_up_to_the_first_wait():
    engine = Engine(order_script(), FakeClock())
    reply = engine.start()
    assert reply.lines == ("Bonjour, je voudrais commander du papier.", "C'est pour mon bureau.")
    assert reply.advanced and not reply.finished
    assert engine.current.type == "wait_for_action"
    assert engine.start().lines == ()  # starting twice says nothing more


def test_nudges_fire_after_the_silence_then_stop():
    clock = FakeClock()
    engine = Engine(order_script(), clock)
    engine.start()
    clock.advance(19.9)
    assert engine.on_tick().lines == ()
    clock.advance(0.1)
    assert engine.on_tick().lines == ("Vous avez besoin de mon numéro client ?",)
    clock.advance(10)
    assert engine.on_tick().lines == ()  # the silence starts again after a nudge
    clock.advance(10)
    assert engine.on_tick().lines == ("Allô ?",)
    clock.advance(60)
    assert engine.on_tick().lines == ()  # nudges exhausted, no give-up: the customer waits
    assert not engine.state["finished"]


def test_speaking_breaks_the_silence():
    clock = FakeClock()
    engine = Engine(order_script(), clock)
    engine.start()
    clock.advance(15)
    assert engine.on_said("Un instant, je regarde.").lines == ()
    clock.advance(15)
    assert engine.on_tick().lines == ()  # only 15 s since the candidate spoke
    clock.advance(5)
    assert engine.on_tick().lines == ("Vous avez besoin de mon numéro client ?",)


@pytest.mark.parametrize(
    ("temper", "language", "delay"),
    [("calm", "fr", 30), ("hurried", "fr", 15), ("angry", "fr", 10), ("hurried", "en", 15)],
)
def test_default_nudge_and_delay_follow_the_temper_and_language(temper, language, delay):
    clock = FakeClock()
    script = {
        "persona": {"name": "M. Pressé", "temper": temper, "language": language},
        "steps": [{"type": "wait_for_words", "words": ["bonjour"]}],
    }
    engine = Engine(script, clock)
    engine.start()
    clock.advance(delay - 1)
    assert engine.on_tick().lines == ()
    clock.advance(1)
    assert engine.on_tick().lines == tuple(DEFAULT_NUDGES[language][temper])


def test_waiting_for_an_action_needs_the_right_verb_and_payload():
    script = {
        "persona": {"name": "M. Roux"},
        "steps": [
            {
                "type": "wait_for_action",
                "action": {"verb": "offer.made", "payload": {"kind": "additional"}},
                "reply": "Bonne idée.",
            },
            {"type": "end", "say": "Au revoir."},
        ],
    }
    engine = Engine(script, FakeClock())
    engine.start()
    assert engine.on_action({"verb": "offer.made", "payload": {"kind": "substitute"}}).lines == ()
    assert (
        engine.on_action({"verb": "order.confirmed", "payload": {"kind": "additional"}}).lines == ()
    )
    assert engine.on_action({"verb": "offer.made"}).lines == ()
    reply = engine.on_action({"verb": "offer.made", "payload": {"kind": "additional", "x": 1}})
    assert reply.lines == ("Bonne idée.", "Au revoir.")
    assert reply.finished and reply.outcome == "satisfied" and not reply.hang_up


def test_nested_payload_values_must_match():
    script = {
        "persona": {"name": "M. Roux"},
        "steps": [
            {
                "type": "wait_for_action",
                "action": [
                    {"verb": "contact.qualified", "payload": {"effects": {"do_not_call": {}}}},
                    {"verb": "payment.recorded", "payload": {"method": "card"}},
                ],
            },
        ],
    }
    engine = Engine(script, FakeClock())
    engine.start()
    cheque = {"verb": "payment.recorded", "payload": {"method": "cheque"}}
    not_a_mapping = {"verb": "contact.qualified", "payload": {"effects": "none"}}
    assert engine.on_action(cheque).lines == () and not engine.on_action(cheque).advanced
    assert not engine.on_action(not_a_mapping).advanced
    assert engine.on_action({"verb": "payment.recorded", "payload": {"method": "card"}}).finished


@pytest.mark.parametrize(
    ("accepts", "expected_line", "finished_with"),
    [
        (True, "D'accord pour ce modèle.", "Merci, au revoir."),
        (False, "Non merci, j'attendrai le réassort.", "Tant pis, au revoir."),
    ],
)
def test_the_offer_branch_follows_the_persona(accepts, expected_line, finished_with):
    engine = Engine(order_script(accepts_substitute=accepts), FakeClock())
    engine.start()
    engine.on_action({"verb": "identity.verified", "payload": {}})
    reply = engine.on_action({"verb": "offer.made", "payload": {"kind": "substitute"}})
    assert reply.lines[0] == expected_line
    if accepts:
        assert engine.current.type == "wait_for_words"
        reply = engine.on_said("Je vous fais le RÉCAPITULATIF de la commande.")
    assert reply.lines[-1] == finished_with
    assert reply.finished and not reply.hang_up


def test_an_offer_made_out_loud_is_answered_too():
    engine = Engine(order_script(accepts_substitute=True), FakeClock())
    engine.start()
    engine.on_action({"verb": "identity.verified", "payload": {}})
    reply = engine.on_said("Je peux vous proposer un équivalent à la place.")
    assert reply.lines == ("D'accord pour ce modèle.",)


def test_words_are_matched_whole_ignoring_case_and_accents():
    assert fold("Allô, J'ÉCOUTE  !") == "allo j ecoute"
    assert mentions("Je vous fais le récapitulatif", ["recapitulatif"]) == "recapitulatif"
    assert mentions("Votre code postal ?", ["code postal"]) == "code postal"
    assert mentions("codes postaux", ["code"]) is None
    assert mentions("rien", ["", "x"]) is None


def test_an_action_done_early_satisfies_the_step_when_it_begins():
    script = {
        "persona": {"name": "M. Roux"},
        "steps": [
            {"type": "wait_for_words", "words": ["bonjour"], "reply": "Bonjour."},
            {"type": "wait_for_action", "action": {"verb": "identity.verified"}, "reply": "Ok."},
            {"type": "wait_for_action", "action": {"verb": "identity.verified"}, "reply": "Re."},
            {"type": "end"},
        ],
    }
    engine = Engine(script, FakeClock())
    engine.start()
    assert engine.on_action({"verb": "identity.verified", "payload": {}}).lines == ()
    reply = engine.on_said("Bonjour madame")
    # the early action satisfies one step only: the second wait still waits
    assert reply.lines == ("Bonjour.", "Ok.")
    assert engine.current is engine.steps[2]


def test_an_angry_ending_hangs_up():
    script = {
        "persona": {"name": "M. Colère", "temper": "angry"},
        "steps": [
            {"type": "say", "say": "Ça fait trois fois que j'appelle !"},
            {
                "type": "wait_for_words",
                "words": ["excuse", "desole"],
                "nudge": "Alors ?",
                "give_up": "Bon, j'en ai assez !",
            },
            {"type": "end", "outcome": "satisfied", "say": "Bon, merci."},
        ],
    }
    clock = FakeClock()
    engine = Engine(script, clock)
    engine.start()
    clock.advance(10)
    assert engine.on_tick().lines == ("Alors ?",)
    clock.advance(10)
    reply = engine.on_tick()
    assert reply.lines == ("Bon, j'en ai assez !",)
    assert reply.finished and reply.hang_up and reply.outcome == "angry"
    assert engine.on_said("Je suis désolé").lines == ()  # nobody on the line any more


def test_an_end_step_with_the_angry_outcome_hangs_up():
    script = {
        "persona": {"name": "M. Colère", "temper": "angry"},
        "steps": [
            {
                "type": "branch_on_offer",
                "kind": "additional",
                "accept_say": "Bon.",
                "refuse_say": "Vous vous moquez de moi ?",
                "on_refuse": "raccroche",
            },
            {"type": "end"},
            {"type": "end", "id": "raccroche", "outcome": "angry", "say": "Au revoir !"},
        ],
    }
    engine = Engine(script, FakeClock())
    engine.start()
    reply = engine.on_action({"verb": "offer.made", "payload": {"kind": "additional"}})
    assert reply.lines == ("Vous vous moquez de moi ?", "Au revoir !")
    assert reply.hang_up and reply.outcome == "angry"


def test_a_script_without_an_end_step_finishes_satisfied():
    script = {"persona": {"name": "Mme Brève"}, "steps": [{"type": "say", "say": "Merci !"}]}
    reply = Engine(script, FakeClock()).start()
    assert reply.finished and reply.outcome == "satisfied" and not reply.hang_up


def test_state_is_json_and_resumes_in_a_new_engine():
    clock = FakeClock()
    script = order_script()
    first = Engine(script, clock)
    first.start()
    first.on_action({"verb": "kb.searched", "payload": {"query": "papier"}})
    stored = json.loads(json.dumps(first.state))
    clock.advance(20)
    second = Engine(script, clock, stored)
    assert second.on_tick().lines == ("Vous avez besoin de mon numéro client ?",)
    reply = second.on_action({"verb": "identity.verified", "payload": {}})
    assert reply.lines == ("Parfait.", "Alors, vous l'avez en stock ?")
    assert second.state["pos"] == 2


def test_an_invalid_script_is_refused():
    with pytest.raises(ScriptError) as caught:
        Engine({"persona": {}, "steps": []}, FakeClock())
    assert "script.persona.name" in str(caught.value)


def test_what_is_done_during_a_hold_counts_when_the_customer_is_back():
    clock = FakeClock()
    engine = Engine(order_script(), clock)
    engine.start()
    clock.advance(60)
    engine.remember({"verb": "identity.verified", "payload": {}})
    assert engine.state["pos"] == 1  # nothing heard, nothing said
    reply = engine.on_resume()
    assert reply.lines == ("Parfait.", "Alors, vous l'avez en stock ?")
    clock.advance(29)
    assert engine.on_tick().lines == ()  # the silence restarted with the new step
    assert Engine(order_script(), clock).on_resume() == engine.on_resume().__class__()
