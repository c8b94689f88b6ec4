"""The simulated outside world and the agent's communication tools (see DESIGN §2)."""


def init_app(app) -> None:
    """Register the softphone's blueprints and signal receivers (the desk arrives with issue 3)."""
