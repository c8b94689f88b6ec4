"""The candidate's desk: one page gathering the softphone, the inbox and the CRM workspace."""


def init_app(app) -> None:
    """Register the desk's page blueprint."""
    from softphone.desk.views import bp

    app.register_blueprint(bp)
