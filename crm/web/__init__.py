"""The web layer shared by every feature: the pages' unit of work and context, form helpers,
responses, and the JSON API kit. Domains' services never import it; views do."""


def init_app(app) -> None:
    """Register what the API shares across features: its OpenAPI document."""
    from crm.web.meta import bp

    app.register_blueprint(bp)
