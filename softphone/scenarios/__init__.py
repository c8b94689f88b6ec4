"""Scripted customers: a persona and ordered steps, played by a pure, clock-driven engine.

`steps` holds the registry of step types (`STEP_TYPES`), `engine` the `Engine` whose state is
JSON (kept on the call), `validation` the checker that reports precise problems in a script.
The scenario timeline (later) carries these scripts for calls, emails, SMS and chats.
"""

from softphone.scenarios.engine import Engine, Reply, ScriptError
from softphone.scenarios.persona import Persona
from softphone.scenarios.steps import STEP_TYPES
from softphone.scenarios.validation import ScriptProblem, validate_script

__all__ = [
    "STEP_TYPES",
    "Engine",
    "Persona",
    "Reply",
    "ScriptError",
    "ScriptProblem",
    "validate_script",
]
