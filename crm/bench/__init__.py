"""The evaluator's bench: shifts → attempts → timeline → grid, grading forms and CSV exports."""


def init_app(app) -> None:
    """Register the bench pages (the timeline's route is added to the bench blueprint on import)."""
    from crm.bench import timeline_view  # noqa: F401
    from crm.bench.views import bp

    app.register_blueprint(bp)
