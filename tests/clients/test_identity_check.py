"""Identity verification: normalised comparisons, two elements at least, no values in the log."""

from __future__ import annotations

import pytest

from crm.clients.identity import verify_identity
from crm.errors import ValidationFailed


@pytest.mark.parametrize(
    "given",
    [
        {"client_number": " t90001 ", "postcode": "69 001"},
        {"last_name": "dupre lefevre", "postcode": "69001", "birth_date": "12/04/1980"},
        {"last_name": "DUPRÉ-LEFÈVRE", "birth_date": "1980-04-12"},
        {"email": "Eloise.Dupre@exemple.fr", "phone": "+33 4 78 12 34 56"},
        {"first_name": "eloise", "phone": "04.78.12.34.56"},
    ],
)
def test_matching_elements_verify_the_caller(ctx, dupre, log, given):
    check = verify_identity(ctx, dupre, given)
    assert check.verified and check.mismatches == []
    (action,) = log.new()
    assert action.verb == "identity.verified"
    assert action.payload["checked"] == list(given)


def test_a_wrong_element_fails_and_is_named_without_values(ctx, dupre, log):
    check = verify_identity(
        ctx, dupre, {"client_number": "T90001", "birth_date": "13/04/1980", "postcode": "69002"}
    )
    assert not check.verified
    assert check.mismatches == ["postcode", "birth_date"]
    (action,) = log.new()
    assert action.verb == "identity.failed"
    assert action.payload["mismatches"] == ["postcode", "birth_date"]
    assert "1980" not in str(action.payload)


def test_the_gatekeeper_phone_and_email_identify_a_company(ctx, atelier, log):
    check = verify_identity(
        ctx, atelier, {"company_name": "ateliers oeuvre commune", "phone": "0478987654"}
    )
    assert check.verified
    assert log.verbs() == ["identity.verified"]


def test_an_element_missing_from_the_file_cannot_match(ctx, atelier):
    check = verify_identity(ctx, atelier, {"client_number": "T90002", "birth_date": "1970-01-01"})
    assert check.mismatches == ["birth_date"]


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"postcode": "69001"}, "identity"),
        ({"postcode": "69001", "last_name": "  "}, "identity"),
        ({"postcode": "69001", "birth_date": "le 12 avril"}, "birth_date"),
        ({"postcode": "69001", "phone": "12"}, "phone"),
        ({"postcode": "69001", "shoe_size": "42"}, "shoe_size"),
        ({"postcode": 69001, "last_name": "Dupré"}, "postcode"),
    ],
)
def test_refusals_record_nothing(ctx, dupre, log, given, field):
    with pytest.raises(ValidationFailed) as refused:
        verify_identity(ctx, dupre, given)
    assert field in refused.value.fields
    assert log.verbs() == []
