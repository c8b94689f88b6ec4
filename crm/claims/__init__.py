"""Claims: complaints and disputes."""


def init_app(app) -> None:
    """Register the JSON endpoints, the claim pages."""
    from crm.claims.api import bp as api_bp
    from crm.claims.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
