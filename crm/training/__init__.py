"""Scenarios, shifts, attempts (sandboxes) and reset."""


def init_app(app) -> None:
    """Register the trainer pages."""
    from flask_babel import lazy_gettext as _l

    from crm.training import staff_views  # noqa: F401  (its routes join the blueprint)
    from crm.training.pack_views import bp as packs_bp
    from crm.training.states import SHIFT_TRANSITIONS
    from crm.training.views import bp

    labels = {
        "planned": _l("prévue"),
        "running": _l("en cours"),
        "paused": _l("en pause"),
        "ended": _l("terminée"),
    }
    app.jinja_env.globals.update(
        shift_status_label=lambda status: labels.get(status, status),
        shift_event_allowed=lambda status, event: status in SHIFT_TRANSITIONS[event],
    )
    app.register_blueprint(bp)
    from crm.training.api import bp as api_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(packs_bp)
