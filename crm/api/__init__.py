"""JSON API v1 over the same services as the pages (see shared/API.md)."""

#: Modules of crm.api whose routes hang on the blueprint; each imports `bp` from core.
MODULES = (
    "auth",
    "training",
    "log",
    "standards",
    "evaluation",
    "clients",
    "catalog",
    "orders",
    "payments",
    "dunning",
    "contacts",
    "claims",
    "knowledge",
    "candidate_report",
    "meta",
)


def init_app(app) -> None:
    """Register the API blueprint, exempt from form CSRF (bearer calls, or X-CSRFToken)."""
    import importlib

    from crm.api import core
    from crm.extensions import csrf

    for name in MODULES:
        importlib.import_module(f"crm.api.{name}")
    csrf.exempt(core.bp)
    app.register_blueprint(core.bp)
