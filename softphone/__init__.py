"""The simulated outside world and the agent's communication tools (see DESIGN §2)."""


def init_app(app) -> None:
    """Register the softphone's models, verbs, blueprints and signal receivers."""
    from softphone import desk, inbox, phone, realtime, roleplay, room, voice
    from softphone.scenarios import setup as scenarios

    phone.init_app(app)
    inbox.init_app(app)
    desk.init_app(app)
    realtime.init_app(app)
    room.init_app(app)
    roleplay.init_app(app)
    voice.init_app(app)
    scenarios.init_app(app)
