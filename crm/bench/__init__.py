"""The evaluator's bench: shifts → attempts → timeline → grid, grading forms and CSV exports."""


def init_app(app) -> None:
    """Register the bench pages (the timeline's route is added to the bench blueprint on import)."""
    from crm.bench import timeline_view  # noqa: F401
    from crm.bench.log_api import bp as log_api_bp
    from crm.bench.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(log_api_bp)
