"""Claims: complaints and disputes."""


def init_app(app) -> None:
    """Register the claim pages."""
    from crm.claims.views import bp

    app.register_blueprint(bp)
