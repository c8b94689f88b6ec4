"""The append-only, hash-chained action log and its verbs."""


def init_app(app) -> None:
    """Register the timeline page and its payload wording."""
    from crm.actionlog import wording
    from crm.actionlog.views import bp

    app.register_blueprint(bp)
    wording.init_app(app)
