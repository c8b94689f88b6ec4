"""Knowledge base (read-only for candidates), message templates and documents."""


def init_app(app) -> None:
    """Register the knowledge-base pages."""
    from crm.knowledge.views import bp

    app.register_blueprint(bp)
