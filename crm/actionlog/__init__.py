"""The append-only, hash-chained action log and its verbs."""


def init_app(app) -> None:
    """Register the timeline page."""
    from crm.actionlog.views import bp

    app.register_blueprint(bp)
