"""Dunning package: reminders along the ladder, promises to pay, payment plans."""


def init_app(app) -> None:
    """Register the dunning pages and the plan status labels for templates."""
    from flask_babel import lazy_gettext as _l

    from crm.dunning.views import bp

    labels = {
        "active": _l("En cours"),
        "completed": _l("Soldé"),
        "broken": _l("Rompu"),
        "cancelled": _l("Annulé"),
        "pending": _l("En attente"),
        "kept": _l("Tenue"),
        "due": _l("À venir"),
        "paid": _l("Payée"),
        "missed": _l("Impayée"),
    }
    #: Badge colour of a status: good, bad, or in progress.
    badges = {"kept": "ok", "paid": "ok", "completed": "ok", "broken": "bad", "missed": "bad"}
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        dunning_status_label=lambda status: labels.get(status, status),
        dunning_badge=lambda status: badges.get(status, "info"),
    )
