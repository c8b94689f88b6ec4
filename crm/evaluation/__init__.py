"""Evaluation: standards as data, evidence rules, verdicts, grades, KPIs, reports and exports."""


def init_app(app) -> None:
    """Register the evidence rules (importing the package fills the registry)."""
    import crm.evaluation.rules  # noqa: F401
    import crm.evaluation.self_assessment  # noqa: F401  (models)
    import crm.evaluation.xapi.models  # noqa: F401  (models)
