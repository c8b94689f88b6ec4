"""Client and prospect files, B2B contact persons, consent / do-not-call."""


def init_app(app) -> None:
    """Register the client pages."""
    from crm.clients.views import bp

    app.register_blueprint(bp)
