"""Payments package: card checks, payments allocated to orders or invoices, receivables."""

#: Badge class and French label of each derived invoice status (templates use both).
INVOICE_BADGES = {"paid": "ok", "partial": "info", "unpaid": "warn", "overdue": "bad"}


def init_app(app) -> None:
    """Register the JSON endpoints, the payment pages and the invoice status helpers."""
    from flask_babel import lazy_gettext as _l

    from crm.payments.api import bp as api_bp
    from crm.payments.views import bp

    labels = {
        "paid": _l("Payée"),
        "partial": _l("Partiellement payée"),
        "unpaid": _l("Non payée"),
        "overdue": _l("En retard"),
    }
    methods = {
        "card": _l("Carte bancaire"),
        "transfer": _l("Virement"),
        "cheque": _l("Chèque"),
        "direct_debit": _l("Prélèvement"),
    }
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals.update(
        invoice_badge=lambda status: INVOICE_BADGES.get(status, ""),
        invoice_status_label=lambda status: labels.get(status, status),
        payment_method_label=lambda method: methods.get(method, method),
    )
