"""Contracts: a client's subscriptions, retention offers within the pack's rules, cancellations."""


def init_app(app) -> None:
    """Register the JSON endpoints and the contract pages."""
    from crm.contracts.api import bp as api_bp
    from crm.contracts.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
