"""Catalog package: products in sale units, stock, substitutes, complements, promotions."""


def init_app(app) -> None:
    """Register the JSON endpoints, the catalog pages and their Jinja helpers."""
    from crm.catalog.api import bp as api_bp
    from crm.catalog.services import (
        discounted,
        equivalent_quantity,
        incl_vat,
        percent,
        plural_unit,
        stock_status,
    )
    from crm.catalog.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.jinja_env.globals.update(
        stock_status=stock_status,
        plural_unit=plural_unit,
        incl_vat=incl_vat,
        discounted=discounted,
        percent=percent,
        equivalent_quantity=equivalent_quantity,
    )
