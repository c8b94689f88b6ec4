"""Section validators for the catalogue: products and the promotions on them."""

from __future__ import annotations

from crm.i18n import lazy as _l

from .formats import _CODE, _CODE_HINT
from .problems import _join
from .structure import StructureChecks
from .values import _MISSING, _raw
from .vocabulary import _LEN

#: Where a sku comes from, said when one is unknown.
_NO_SKU = _l("aucun produit n'a ce sku")


class CatalogSections(StructureChecks):
    """The ``products`` and ``promotions`` sections."""

    def products(self, data) -> set[str]:
        """The catalogue; returns the set of valid skus."""
        keys = (
            "sku", "name", "category", "description", "sale_unit", "unit_price", "vat_rate",
            "stock", "restock_date", "substitutes", "complements", "warranty_months",
            "extends_warranty_months",
        )  # fmt: skip
        records = self.records(data, "products", "", keys, non_empty=True)
        # Skus first: substitutes and complements may name a product defined further down.
        skus: dict = {}
        own = []
        for where, product in records:
            self.text(product, "sku", where, max_len=_LEN["sku"], pattern=_CODE, hint=_CODE_HINT)
            sku = _raw(product, "sku")
            self.unique(_join(where, "sku"), sku, skus, _l("sku"))
            own.append(sku)
        for (where, product), sku in zip(records, own, strict=True):
            self.text(product, "name", where, max_len=_LEN["name"])
            self.text(product, "category", where, max_len=_LEN["short"])
            self.text(product, "description", where)
            unit = self.take(product, "sale_unit", where, False)
            if unit is not _MISSING:
                unit_path = _join(where, "sale_unit")
                unit = self.mapping(unit, unit_path, ("label", "quantity"))
                self.text(unit, "label", unit_path, max_len=_LEN["short"])
                self.integer(unit, "quantity", unit_path, low=1)
            self.money(product, "unit_price", where)
            self.rate(product, "vat_rate", where)
            stock = self.integer(product, "stock", where, low=0)
            # Warranties: an appliance's own (months from delivery), or a contract line that
            # extends the warranty of the order's other lines (crm.aftersales.warranty).
            own = self.integer(product, "warranty_months", where, low=1, high=240, optional=True)
            extends = self.integer(
                product, "extends_warranty_months", where, low=1, high=240, optional=True
            )
            if own is not None and extends is not None:
                self.add(
                    _join(where, "extends_warranty_months"),
                    _l(
                        "un produit a sa propre garantie ou prolonge celle des autres, pas les deux"
                    ),
                )
            self.date_spec(product, "restock_date", where, optional=True)
            if stock == 0 and product.get("restock_date") is None:
                self.add(
                    _join(where, "restock_date"),
                    _l(
                        "obligatoire quand stock vaut 0 : la date de retour en stock, "
                        'par exemple "+10d"'
                    ),
                )
            itself = {
                "substitutes": _l("un produit ne peut pas être son propre produit de substitution"),
                "complements": _l("un produit ne peut pas être son propre complément"),
            }
            for key, message in itself.items():
                found = self.refs(product, key, where, skus, _l("sku"), _NO_SKU, optional=True)
                for ref_path, target in found:
                    if target == sku:
                        self.add(ref_path, message)
        return set(skus)

    def promotions(self, data, skus: set[str]) -> None:
        """Percent-off promotions on listed skus over a date range."""
        seen: dict = {}
        keys = ("code", "label", "skus", "percent", "starts_on", "ends_on")
        for where, promo in self.records(data, "promotions", "", keys, optional=True):
            code = self.text(promo, "code", where, max_len=32, pattern=_CODE, hint=_CODE_HINT)
            self.unique(_join(where, "code"), code, seen, _l("code promotion"))
            self.text(promo, "label", where, max_len=_LEN["name"])
            self.refs(promo, "skus", where, skus, _l("sku"), _NO_SKU, non_empty=True)
            self.rate(promo, "percent", where, low_open=True)
            starts = self.date_spec(promo, "starts_on", where)
            ends = self.date_spec(promo, "ends_on", where)
            self.not_before(
                starts, ends, _join(where, "ends_on"), _l("ne doit pas être avant starts_on")
            )
