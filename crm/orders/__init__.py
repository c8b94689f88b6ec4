"""Orders package: order entry, substitutions, offers, recap, confirmation."""


def init_app(app) -> None:
    """Register the order-entry pages."""
    from crm.orders.views import bp

    app.register_blueprint(bp)
