"""Surveys: a questionnaire attached to an outbound campaign, and the interviews run with it."""


def init_app(app) -> None:
    """Register the surveys' JSON API."""
    from crm.surveys.api import bp

    app.register_blueprint(bp)
