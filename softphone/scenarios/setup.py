"""Wiring of the scenario timeline: the pack validator, the correspondents and the clock."""

from __future__ import annotations

#: How long a stopping server waits for the clock's beat in progress (then exits anyway).
CLOCK_STOP_SECONDS = 10


def on_server_stopping(_app, **_extra) -> None:
    """Receiver of `crm.signals.server_stopping`: the clock ends its beat, then stops."""
    from softphone.scenarios.scheduler import stop_scheduler

    stop_scheduler(timeout=CLOCK_STOP_SECONDS)


def init_app(app) -> None:
    """Plug the scripts' validator in, connect the receivers; the clock starts only to serve."""
    from crm.signals import action_recorded, server_starting, server_stopping
    from crm.training.scenario_schema.hooks import register_validator
    from softphone.scenarios.correspondent import react_to_message
    from softphone.scenarios.scheduler import on_server_starting
    from softphone.scenarios.timeline import pack_script_problems
    from softphone.scenarios.wakeups import connect as connect_wakeups

    register_validator("softphone.scripts", pack_script_problems)
    # Connected once per process (blinker ignores a receiver connected twice).
    action_recorded.connect(react_to_message)
    server_starting.connect(on_server_starting)
    connect_wakeups()
    server_stopping.connect(on_server_stopping)
