"""The timeline part of a scenario pack: structure (crm) and scripts (softphone, plugged in)."""

from __future__ import annotations

import copy

import pytest

from crm.training.library import load_scenario
from crm.training.scenario_schema import validate_scenario
from crm.training.scenario_schema.hooks import register_validator


@pytest.fixture
def pack(app):
    """A deep copy of the default pack (the app registered the softphone's validator)."""
    return copy.deepcopy(load_scenario("bureau-direct"))


def problems(data) -> dict[str, str]:
    """path -> message of every problem."""
    return {p.path: p.message for p in validate_scenario(data, "bureau-direct.yaml")}


def test_the_default_timeline_fills_a_45_minute_shift(pack):
    assert problems(pack) == {}
    items = pack["timeline"]
    kinds = [i["kind"] for i in items]
    assert kinds.count("call") >= 6
    assert kinds.count("email") >= 4 and kinds.count("sms") >= 3 and kinds.count("chat") >= 2
    assert any(i.get("language") == "en" for i in items if i["kind"] == "email")
    offsets = [int(i["at"][1:3]) * 60 + int(i["at"][4:]) for i in items]
    assert offsets == sorted(offsets) and max(offsets) <= 45 * 60
    plan = next(c for c in pack["campaigns"] if c.get("call_plan"))["call_plan"]
    assert len(plan) >= 10
    clients = {c["number"]: c for c in pack["clients"]}
    assert any(clients[e["client"]].get("do_not_call") for e in plan if e.get("client"))
    gatekeepers = {
        c["number"]
        for c in pack["clients"]
        if any(p.get("gatekeeper") for p in c.get("contact_persons", []))
    }
    assert any(e.get("client") in gatekeepers for e in plan)
    assert any(
        s.get("action", {}).get("verb") == "appointment.booked"
        for e in plan
        for s in e.get("script", [])
    )


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda t: t[0].update(at="+2:30"), "timeline[0].at", '"+02:30"'),
        (lambda t: t[0].update(kind="fax"), "timeline[0].kind", "call, email, sms, chat"),
        (lambda t: t[0].update({"from": "12"}), "timeline[0].from", "numéro de téléphone français"),
        (lambda t: t[0].update(subject="Objet"), "timeline[0].subject", "seuls les messages"),
        (lambda t: t[0].pop("persona"), "timeline[0].persona", "obligatoire"),
        (lambda t: t[1].pop("subject"), "timeline[1].subject", "obligatoire"),
        (lambda t: t[2].update(subject="x"), "timeline[2].subject", "seuls les e-mails"),
        (
            lambda t: t[2].update({"from": "nobody@"}),
            "timeline[2].from",
            "n'est pas un numéro de téléphone",
        ),
        (
            lambda t: t[1].update({"from": "nobody@"}),
            "timeline[1].from",
            "n'est pas une adresse e-mail",
        ),
        (lambda t: t[3].update(key=t[0]["key"]), "timeline[3].key", "en double"),
        (lambda t: t[0].update(ring_seconds=2), "timeline[0].ring_seconds", "hors limites"),
        (lambda t: t[0].update(colour="red"), "timeline[0].colour", "clé inconnue"),
        (lambda t: t[0]["script"].append("bye"), "timeline[0].script[7]", "doit être une étape"),
    ],
)
def test_structural_refusals_name_the_path(pack, change, path, words):
    change(pack["timeline"])
    found = problems(pack)
    assert path in found, found
    assert words in found[path]


def test_scripts_are_checked_by_the_softphone_with_pack_paths(pack):
    pack["timeline"][0]["script"][1]["action"]["verb"] = "identity.verifed"
    pack["timeline"][0]["persona"]["temper"] = "grumpy"
    found = problems(pack)
    assert found == {
        "timeline[0].script[1].action.verb": (
            "'identity.verifed' n'est pas dans le catalogue des verbes"
        ),
        "timeline[0].persona.temper": "doit être l'un de : calm, hurried, angry",
    }


def test_call_plan_and_desk_settings_refusals(pack):
    camp = next(c for c in pack["campaigns"] if c.get("call_plan"))
    index = pack["campaigns"].index(camp)
    camp["call_plan"][0]["client"] = "C99999"
    camp["call_plan"][1]["number"] = "123"
    del camp["call_plan"][2]["persona"]  # a scripted entry without its persona
    pack["transfer_targets"][0]["key"] = "Service Technique"
    pack["calling_rules"]["max_attempts"] = 0
    pack["channel_deadlines"]["fax"] = 3
    pack["hold_limit_seconds"] = 0
    camp["after_call_work_seconds"] = "1 min"
    found = problems(pack)
    assert "aucun client n'a ce numéro" in found[f"campaigns[{index}].call_plan[0].client"]
    assert "numéro de téléphone français" in found[f"campaigns[{index}].call_plan[1].number"]
    assert "un script en demande une" in found[f"campaigns[{index}].call_plan[2].persona"]
    assert "des minuscules" in found["transfer_targets[0].key"]
    assert "hors limites" in found["calling_rules.max_attempts"]
    assert "clé inconnue" in found["channel_deadlines.fax"]
    assert "hors limites" in found["hold_limit_seconds"]
    assert "nombre entier" in found[f"campaigns[{index}].after_call_work_seconds"]


def test_a_crashing_plugged_validator_is_a_problem_not_an_exception(pack):
    def broken(_data):
        raise RuntimeError("boom")

    register_validator("test.broken", broken)
    try:
        found = problems(pack)
    finally:
        register_validator("test.broken", lambda _data: ())
    assert found == {"": "le validateur test.broken a échoué : RuntimeError: boom"}
