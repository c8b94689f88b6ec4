"""The evaluator's bench: shifts → attempts → timeline → grid, grading forms and CSV exports."""


def init_app(app) -> None:
    """Register the bench pages."""
    from crm.bench.views import bp

    app.register_blueprint(bp)
