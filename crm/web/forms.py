"""Form helpers every page shares: the CSRF-only form, choices, service errors beside fields."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from crm.errors import ValidationFailed


class EmptyForm(FlaskForm):
    """CSRF-only form for buttons (logout, reset, dial, …)."""


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def attach_errors(
    form: FlaskForm, error: ValidationFailed, fields: dict | None = None, rest=None
) -> None:
    """Show a service's French messages beside the matching fields (others go on the form).

    `fields` maps a service's field name to the form field that shows it, when they differ
    (`{"product_id": form.sku}`); by default a message goes to the form field of its name.
    `rest` is the field that shows a message without a field of its own (else the form does).
    """
    leftovers = []
    for name, message in error.fields.items():
        field = (fields or {}).get(name) or form._fields.get(name) or rest
        if field is None:
            leftovers.append(message)
        else:
            field.errors = [*field.errors, message]
    form.form_errors = [*getattr(form, "form_errors", []), *leftovers]
