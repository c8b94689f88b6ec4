"""Campaigns: the scenario's, and the outbound campaign a trainer sets up for a shift."""


def init_app(app) -> None:
    """Register the campaign set-up pages and API."""
    from crm.campaigns.api import bp as api_bp
    from crm.campaigns.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
