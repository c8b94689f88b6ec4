"""The append-only, hash-chained action log and its verbs."""


def init_app(app) -> None:
    """Register the JSON endpoints, the timeline page."""
    from crm.actionlog.api import bp as api_bp
    from crm.actionlog.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
