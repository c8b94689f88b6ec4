"""The scripted-customer engine: pure, driven by events and an injectable clock.

`Engine(script, clock, state)` plays a validated script. Its whole state is a JSON-able dict
(`engine.state`), stored on the call between requests; nothing else is remembered. Each method
answers a `Reply`: what the customer says, and whether the conversation is over.

Actions recorded before the script reaches the step that waits for them are remembered and
satisfy that step as soon as it begins (a candidate may verify the identity before being asked);
each remembered action satisfies one step at most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from softphone.scenarios.persona import NUDGE_AFTER, Persona
from softphone.scenarios.steps import STEP_TYPES, Outcome, Step
from softphone.scenarios.validation import ScriptProblem, validate_script

Clock = Callable[[], datetime]
#: Actions remembered for later steps, at most (the oldest are forgotten).
MAX_REMEMBERED = 200


class ScriptError(ValueError):
    """A script that does not validate; `problems` says why."""

    def __init__(self, problems: list[ScriptProblem]):
        """Keep the problems; the message lists them."""
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Reply:
    """What the customer answers to an event."""

    lines: tuple[str, ...] = ()
    #: The event moved the script on (a step was satisfied or begun).
    advanced: bool = False
    finished: bool = False
    #: The customer hangs up (an angry ending, or giving up after the nudges).
    hang_up: bool = False
    #: "satisfied" or "angry" once finished.
    outcome: str | None = None


def _initial_state() -> dict:
    """The state of a script not started yet."""
    return {
        "pos": 0,
        "started": False,
        "finished": False,
        "outcome": None,
        "hang_up": False,
        "since": None,
        "nudges": 0,
        "remembered": [],
    }


class Engine:
    """Plays one scripted customer; feed it the call's events, store `state` between them."""

    def __init__(
        self, script: dict, clock: Clock, state: dict | None = None, *, validated: bool = False
    ):
        """Validate the script (ScriptError) unless `validated`, and resume from `state`."""
        problems = [] if validated else validate_script(script)
        if problems:
            raise ScriptError(problems)
        self.clock = clock
        self.persona = Persona.from_dict(script["persona"])
        self.steps: list[Step] = [STEP_TYPES[s["type"]](s) for s in script["steps"]]
        self.index = {step.id: i for i, step in enumerate(self.steps) if step.id}
        self.default_delay = script.get("nudge_after", NUDGE_AFTER[self.persona.temper])
        self.state = {**_initial_state(), **(state or {})}
        self.state["remembered"] = list(self.state["remembered"])

    @property
    def live(self) -> bool:
        """Started and not finished: the customer is on the line."""
        return self.state["started"] and not self.state["finished"]

    @property
    def current(self) -> Step | None:
        """The step being played or waited on."""
        pos = self.state["pos"]
        return self.steps[pos] if self.live and pos < len(self.steps) else None

    def start(self) -> Reply:
        """The customer's opening lines, up to the first step that waits."""
        if self.state["started"]:
            return Reply()
        self.state["started"] = True
        return self._play([])

    def on_action(self, action: dict) -> Reply:
        """An action was recorded in the attempt ({verb, payload, …})."""
        step = self.current
        if step is None:
            return Reply()
        outcome = step.on_action(action, self.persona)
        if outcome is None:
            self.remember(action)
            return Reply()
        return self._after(outcome)

    def remember(self, action: dict) -> None:
        """Keep an action for the steps to come (one the customer did not witness, on hold)."""
        if not self.live:
            return
        remembered = self.state["remembered"]
        remembered.append({"verb": action.get("verb"), "payload": action.get("payload") or {}})
        del remembered[:-MAX_REMEMBERED]

    def on_resume(self) -> Reply:
        """Back from hold: the silence starts again, and what was done meanwhile counts."""
        step = self.current
        if step is None:
            return Reply()
        self.state["since"] = self._now()
        replayed = self._replay(step)
        return Reply() if replayed is None else self._after(replayed)

    def on_said(self, text: str) -> Reply:
        """The candidate's turn; speaking breaks the silence even when it satisfies nothing."""
        step = self.current
        if step is None:
            return Reply()
        self.state["since"] = self._now()
        outcome = step.on_said(text, self.persona)
        return Reply() if outcome is None else self._after(outcome)

    def on_tick(self) -> Reply:
        """Time passed: after a silence the customer nudges, then gives up if the step says so."""
        step = self.current
        if step is None or not step.waits:
            return Reply()
        since = datetime.fromisoformat(self.state["since"])
        if (self.clock() - since).total_seconds() < step.nudge_after(self.default_delay):
            return Reply()
        self.state["since"] = self._now()
        nudges = step.nudges(self.persona)
        if self.state["nudges"] < len(nudges):
            self.state["nudges"] += 1
            return Reply((nudges[self.state["nudges"] - 1],))
        give_up = step.spec.get("give_up")
        if give_up:
            return self._finish([give_up], "angry", hang_up=True)
        return Reply()

    def wakes_at(self) -> datetime | None:
        """When `on_tick` will next have something to do (None: never, as things stand)."""
        step = self.current
        if step is None or not step.waits or not self.state["since"]:
            return None
        if self.state["nudges"] >= len(step.nudges(self.persona)) and not step.spec.get("give_up"):
            return None
        silence = timedelta(seconds=step.nudge_after(self.default_delay))
        return datetime.fromisoformat(self.state["since"]) + silence

    def _now(self) -> str:
        """The clock's time, as stored in the state."""
        return self.clock().isoformat()

    def _after(self, outcome: Outcome) -> Reply:
        """Leave the satisfied step for the next one (or the branch's target) and play on."""
        self._move(outcome)
        return self._play(list(outcome.lines))

    def _move(self, outcome: Outcome) -> None:
        """Go to the branch's target, or to the next step."""
        self.state["pos"] = self.index[outcome.goto] if outcome.goto else self.state["pos"] + 1

    def _play(self, lines: list[str]) -> Reply:
        """Play steps from the current one until one waits or the conversation ends."""
        while self.state["pos"] < len(self.steps):
            step = self.steps[self.state["pos"]]
            begun = step.enter(self.persona)
            lines.extend(begun.lines)
            if begun.end:
                return self._finish(lines, begun.end, hang_up=begun.hang_up)
            if not step.waits:
                self.state["pos"] += 1
                continue
            self.state["since"], self.state["nudges"] = self._now(), 0
            replayed = self._replay(step)
            if replayed is None:
                return Reply(tuple(lines), advanced=True)
            lines.extend(replayed.lines)
            self._move(replayed)
        return self._finish(lines, "satisfied", hang_up=False)

    def _replay(self, step: Step) -> Outcome | None:
        """A remembered action that satisfies the step, consumed; else None."""
        remembered = self.state["remembered"]
        for i, action in enumerate(remembered):
            outcome = step.on_action(action, self.persona)
            if outcome is not None:
                del remembered[i]
                return outcome
        return None

    def _finish(self, lines: list[str], outcome: str, *, hang_up: bool) -> Reply:
        """The conversation is over."""
        self.state.update(finished=True, outcome=outcome, hang_up=hang_up)
        return Reply(tuple(lines), advanced=True, finished=True, hang_up=hang_up, outcome=outcome)
