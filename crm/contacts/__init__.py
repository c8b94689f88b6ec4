"""Interactions on any channel, qualification codes, callbacks, appointments."""


def init_app(app) -> None:
    """Register the contact pages and the open-contact banner's template data."""
    from crm.contacts.views import bp
    from crm.web.context import inject_open_contact

    app.register_blueprint(bp)
    app.context_processor(inject_open_contact)
