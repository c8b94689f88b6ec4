"""Script validation reports every problem with its path."""

from __future__ import annotations

import pytest

from softphone.scenarios import validate_script


def paths(script, **kwargs) -> dict[str, str]:
    """Problems as {path: message}."""
    return {p.path: p.message for p in validate_script(script, **kwargs)}


GOOD = {
    "key": "info",
    "persona": {"name": "M. Dupont", "temper": "calm", "accepts_substitute": False},
    "nudge_after": 25,
    "steps": [
        {"type": "say", "say": "Bonjour."},
        {"type": "wait_for_words", "words": ["bonjour"], "nudge": "Allô ?"},
        {"type": "wait_for_action", "action": [{"verb": "kb.read"}], "give_up": "Tant pis."},
        {
            "type": "branch_on_offer",
            "kind": "additional",
            "accept_say": "Oui.",
            "refuse_say": "Non.",
            "on_refuse": "fin",
        },
        {"type": "end", "id": "fin", "outcome": "angry"},
    ],
}


def test_a_sound_script_has_no_problem():
    assert validate_script(GOOD) == []


def test_str_names_the_path():
    problem = validate_script({"persona": {"name": "X"}, "steps": "no"})[0]
    assert str(problem) == "script.steps: doit être une liste non vide d'étapes"


@pytest.mark.parametrize(
    ("script", "path", "words"),
    [
        ("texte", "script", "mapping"),
        ({"steps": [{"type": "end"}]}, "script.persona", "obligatoire"),
        (
            {"persona": {"name": "X", "temper": "grumpy"}, "steps": [{"type": "end"}]},
            "script.persona.temper",
            "calm",
        ),
        (
            {"persona": {"name": "X", "accepts_additional": "yes"}, "steps": [{"type": "end"}]},
            "script.persona.accepts_additional",
            "true ou false",
        ),
        ({"persona": {"name": ""}, "steps": [{"type": "end"}]}, "script.persona.name", "texte"),
        ({"persona": {"name": "X"}, "steps": []}, "script.steps", "liste non vide"),
        ({"persona": {"name": "X"}, "steps": [{"type": "dance"}]}, "script.steps[0].type", "say"),
        ({"persona": {"name": "X"}, "steps": ["say"]}, "script.steps[0]", "mapping"),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "say"}]},
            "script.steps[0].say",
            "obligatoire",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "say", "say": "a", "wait": 1}]},
            "script.steps[0]",
            "clé(s) inconnue(s) : wait",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "wait_for_words", "words": []}]},
            "script.steps[0].words",
            "liste non vide",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "wait_for_words", "words": ["a", 3]}]},
            "script.steps[0].words[1]",
            "texte non vide",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "wait_for_action"}]},
            "script.steps[0].action",
            "obligatoire",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "wait_for_action", "action": {"x": 1}}]},
            "script.steps[0].action",
            "clé(s) inconnue(s) : x",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "wait_for_action", "action": {}}]},
            "script.steps[0].action.verb",
            "obligatoire",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "wait_for_action", "action": [{"verb": "Offre faite"}]}],
            },
            "script.steps[0].action[0].verb",
            "n'est pas un verbe",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "wait_for_action", "action": {"verb": "a.b", "payload": 3}}],
            },
            "script.steps[0].action.payload",
            "mapping",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "wait_for_words", "words": ["a"], "nudge_after": 0}],
            },
            "script.steps[0].nudge_after",
            "positif",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "wait_for_words", "words": ["a"], "nudge": []}],
            },
            "script.steps[0].nudge",
            "liste non vide",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [
                    {
                        "type": "branch_on_offer",
                        "kind": "gift",
                        "accept_say": "a",
                        "refuse_say": "b",
                    }
                ],
            },
            "script.steps[0].kind",
            "substitute",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "branch_on_offer", "kind": "substitute", "accept_say": "a"}],
            },
            "script.steps[0].refuse_say",
            "obligatoire",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [
                    {
                        "type": "branch_on_offer",
                        "kind": "substitute",
                        "accept_say": "a",
                        "refuse_say": "b",
                        "on_accept": "nowhere",
                    }
                ],
            },
            "script.steps[0].on_accept",
            "aucune étape n'a l'id 'nowhere'",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "end", "outcome": "meh"}]},
            "script.steps[0].outcome",
            "satisfied",
        ),
        (
            {"persona": {"name": "X"}, "steps": [{"type": "end", "hang_up": "no"}]},
            "script.steps[0].hang_up",
            "true ou false",
        ),
        (
            {
                "persona": {"name": "X"},
                "steps": [{"type": "end", "id": "a"}, {"type": "end", "id": "a"}],
            },
            "script.steps[1].id",
            "est déjà l'id",
        ),
        (
            {"persona": {"name": "X"}, "nudge_after": "10", "steps": [{"type": "end"}]},
            "script.nudge_after",
            "positif",
        ),
    ],
)
def test_each_problem_is_located(script, path, words):
    problems = paths(script)
    assert path in problems, problems
    assert words in problems[path]


def test_verbs_can_be_checked_against_the_catalog():
    script = {
        "persona": {"name": "X"},
        "steps": [{"type": "wait_for_action", "action": {"verb": "identity.checked"}}],
    }
    assert paths(script) == {}
    problems = paths(script, known_verbs={"identity.verified"})
    assert problems == {
        "script.steps[0].action.verb": "'identity.checked' n'est pas dans le catalogue des verbes"
    }
