"""Interactions on any channel, qualification codes, callbacks, appointments."""


def init_app(app) -> None:
    """Register the JSON endpoints, the contact pages and the open-contact banner's data."""
    from crm.contacts.api import bp as api_bp
    from crm.contacts.views import bp
    from crm.web.context import inject_open_contact

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.context_processor(inject_open_contact)
