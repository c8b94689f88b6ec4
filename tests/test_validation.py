"""The field-reading kit (crm.validation.Fields): what an empty string means depends on where
the values come from. A JSON body types its values, so "" for a number, an amount, a date, a
boolean or ids is a wrong value named in the errors; a query string or an HTML form sends every
field as a string, and "" there is a field left blank, i.e. not given."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from crm.errors import ValidationFailed
from crm.validation import Fields, FormValues

#: What each typed reader answers for a field not given (its default).
ABSENT = {
    "integer": None,
    "ident": None,
    "money": None,
    "day": None,
    "moment": None,
    "boolean": False,
    "id_list": [],
}

#: Each reader of a typed kind and the message it gives a JSON "".
TYPED = [
    ("integer", "Nombre entier attendu."),
    ("ident", "Nombre entier attendu."),
    ("money", "Montant attendu, par exemple « 12.50 »."),
    ("day", "Date attendue au format AAAA-MM-JJ."),
    ("moment", "Date et heure attendues (ISO 8601 avec fuseau)."),
    ("boolean", "Booléen attendu (true ou false)."),
    ("id_list", "Liste d'identifiants attendue."),
]


@pytest.mark.parametrize(("reader", "message"), TYPED)
def test_an_empty_string_in_a_json_object_is_refused_naming_the_field(reader, message):
    fields = Fields({"x": ""})
    getattr(fields, reader)("x", required=False)
    assert fields.errors == {"x": message}
    with pytest.raises(ValidationFailed) as refused:
        fields.done()
    assert refused.value.fields == {"x": message}


@pytest.mark.parametrize(("reader", "message"), TYPED)
def test_a_required_empty_string_in_a_json_object_gets_the_kind_s_message(reader, message):
    fields = Fields({"x": ""})
    getattr(fields, reader)("x", required=True)
    assert fields.errors == {"x": message}


@pytest.mark.parametrize(
    "source",
    [
        ImmutableMultiDict([("x", "")]),  # request.args, request.form
        FormValues(x=""),  # a form's values copied into a mapping
    ],
    ids=["multidict", "form-values"],
)
@pytest.mark.parametrize(("reader", "message"), TYPED)
def test_an_empty_string_from_a_form_or_a_query_string_is_not_given(source, reader, message):
    optional = Fields(source)
    assert getattr(optional, reader)("x", required=False) == ABSENT[reader]
    assert optional.errors == {}
    required = Fields(source)
    getattr(required, reader)("x", required=True)
    assert required.errors == {"x": "Champ obligatoire."}


@pytest.mark.parametrize("reader", [name for name, _message in TYPED])
def test_missing_and_null_are_absent_everywhere(reader):
    for source in ({}, {"x": None}, FormValues(), FormValues(x=None)):
        fields = Fields(source)
        assert getattr(fields, reader)("x", required=False) == ABSENT[reader]
        assert fields.errors == {}


def test_an_empty_text_is_not_given_in_json_as_in_a_form():
    for source in ({"x": ""}, FormValues(x="")):
        fields = Fields(source)
        assert fields.text("x", required=False, default="unset") == "unset"
        assert fields.text("y", required=False, choices={"a"}, default="unset") == "unset"
        fields.text("x")
        assert fields.errors == {"x": "Champ obligatoire."}


def test_typed_values_still_read_in_json():
    fields = Fields({"n": "12", "amount": "12,50", "on": True, "ids": [1, 2]})
    assert fields.integer("n") == 12
    assert str(fields.money("amount")) == "12.50"
    assert fields.boolean("on") is True
    assert fields.id_list("ids") == [1, 2]
    assert fields.errors == {}
