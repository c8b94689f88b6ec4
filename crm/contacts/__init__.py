"""Interactions on any channel, qualification codes, callbacks, appointments."""


def init_app(app) -> None:
    """Register the JSON endpoints, the contact pages and the open-contact banner's data."""
    from crm import clock
    from crm.contacts.api import bp as api_bp
    from crm.contacts.callbacks import STATE_BADGES, STATE_LABELS, state_of
    from crm.contacts.views import bp
    from crm.web.context import inject_open_contact

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.context_processor(inject_open_contact)
    # A callback's state in words, on the client file as on the desk's list.
    app.jinja_env.globals.update(
        callback_state_of=lambda callback: state_of(callback, clock.now()),
        callback_state_labels=STATE_LABELS,
        callback_state_badges=STATE_BADGES,
    )
