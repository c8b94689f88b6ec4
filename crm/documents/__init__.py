"""Documents generated from the world: a client's invoice, order confirmation and payment plan
as PDF, kept byte for byte (with their SHA-256) once attached to a message."""


def init_app(app) -> None:
    """Register the documents' JSON API."""
    from crm.documents.api import bp

    app.register_blueprint(bp)
