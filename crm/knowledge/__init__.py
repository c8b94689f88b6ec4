"""Knowledge base (read-only for candidates), message templates and documents."""


def init_app(app) -> None:
    """Register the JSON endpoints, the knowledge-base pages."""
    from crm.knowledge.api import bp as api_bp
    from crm.knowledge.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
