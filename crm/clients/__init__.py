"""Client and prospect files, B2B contact persons, consent / do-not-call."""


def init_app(app) -> None:
    """Register the JSON endpoints, the client pages and the hook that keeps search keys true."""
    from crm.clients.api import bp as api_bp
    from crm.clients.search import register
    from crm.clients.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    register()
