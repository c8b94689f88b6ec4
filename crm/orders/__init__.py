"""Orders package: order entry, substitutions, offers, recap, confirmation."""


def init_app(app) -> None:
    """Register the JSON endpoints, the order-entry pages."""
    from crm.orders.api import bp as api_bp
    from crm.orders.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
