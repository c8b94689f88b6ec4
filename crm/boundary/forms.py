"""Form fields whose values the database can hold."""

from __future__ import annotations

from wtforms import IntegerField

from crm.boundary.integers import db_int
from crm.i18n import _l


class DbIntegerField(IntegerField):
    """An IntegerField refusing, as a field error, integers no column can hold (ids, counts)."""

    def process_formdata(self, valuelist):
        """Parse like IntegerField, then refuse what lies outside the database's range."""
        super().process_formdata(valuelist)
        if self.data is None:
            return
        try:
            db_int(self.data)
        except ValueError:
            self.data = None
            raise ValueError(_l("Nombre hors limites.")) from None
