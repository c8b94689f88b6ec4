"""The simulated outside world and the agent's communication tools (see DESIGN §2)."""


def init_app(app) -> None:
    """Register the softphone's models, verbs, blueprints and signal receivers."""
    from softphone import inbox, phone

    phone.init_app(app)
    inbox.init_app(app)
