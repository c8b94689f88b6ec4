"""Evaluation: standards as data, evidence rules, verdicts, grades, KPIs, reports and exports."""


def init_app(app) -> None:
    """Register the evidence rules (importing the package fills the registry) and the pages."""
    import crm.evaluation.retention  # noqa: F401  (what evaluation keeps, for `plateau retention`)
    import crm.evaluation.rules  # noqa: F401
    import crm.evaluation.self_assessment  # noqa: F401  (models)
    import crm.evaluation.xapi.models  # noqa: F401  (models)
    from crm.evaluation.candidate_views import bp as candidate_report_bp
    from crm.evaluation.pack_card import card_problems
    from crm.evaluation.views import bp as report_bp
    from crm.training.scenario_schema.hooks import register_validator

    register_validator("evaluation.card", card_problems)
    app.register_blueprint(candidate_report_bp)
    app.register_blueprint(report_bp)
