"""After-sales package: deliveries and carrier incidents, returns, credit notes and refunds."""


def init_app(app) -> None:
    """Register the after-sales verbs, pages and API."""
    from crm.aftersales import states
    from crm.aftersales.api import bp as api_bp
    from crm.aftersales.panel import client_account, order_after_sales
    from crm.aftersales.verbs import register_verbs
    from crm.aftersales.views import bp

    register_verbs()
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals.update(
        after_sales_of=order_after_sales,
        client_account=client_account,
        delivery_labels=states.DELIVERY_LABELS,
        carrier_event_labels=states.EVENT_LABELS,
        incident_labels=states.INCIDENT_LABELS,
        return_labels=states.RETURN_LABELS,
        credit_note_labels=states.CREDIT_NOTE_LABELS,
    )
