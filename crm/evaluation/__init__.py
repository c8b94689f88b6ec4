"""Evaluation: standards as data, evidence rules, verdicts, grades, KPIs, reports and exports."""


def init_app(app) -> None:
    """Register the evidence rules (importing the package fills the registry) and the pages."""
    import crm.evaluation.rules  # noqa: F401
    import crm.evaluation.self_assessment  # noqa: F401  (models)
    from crm.evaluation.views import bp

    app.register_blueprint(bp)
