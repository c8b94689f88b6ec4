"""Contact rules on attempts built through the real services: met, not met, not observed."""

from __future__ import annotations

from crm.evaluation.rules import MET, NOT_MET, NOT_OBSERVED


def ids(*actions) -> tuple[int, ...]:
    return tuple(sorted(a.id for a in actions))


# --- contacts_qualified ------------------------------------------------------------------------


def test_contacts_not_observed_without_contact(judge):
    result = judge("contacts_qualified")
    assert (result.status, result.evidence) == (NOT_OBSERVED, ())


def test_every_contact_qualified_is_met(desk, judge, log):
    desk.open(desk.client("C10013"))
    desk.qualify("INFO")
    first = log.last("contact.qualified")
    desk.open(None, channel="email")
    desk.qualify("INFO")
    second = log.last("contact.qualified")
    result = judge("contacts_qualified")
    assert (result.status, result.evidence) == (MET, ids(first, second))
    assert result.figures == {"contacts": 2, "qualified": 2}


def test_a_contact_left_open_is_not_met_and_named(desk, judge, log):
    desk.open(desk.client("C10013"))
    desk.qualify("INFO")
    contact = desk.open(None, channel="sms")
    opened = log.last("contact.opened")
    result = judge("contacts_qualified")
    assert (result.status, result.not_met_ids) == (NOT_MET, (opened.id,))
    assert f"n° {contact.id}" in result.explanation
    assert result.figures == {"contacts": 2, "qualified": 1}


def test_a_timeline_call_qualified_with_another_code_than_expected(desk, judge, log):
    desk.answer("appel-info-retractation")  # expect: {qualification: INFO}
    desk.hang_up()
    contact = desk.contact
    desk.qualify("ABSENT")
    result = judge("contacts_qualified")
    assert result.status == NOT_MET
    assert result.evidence == (log.last("contact.qualified").id,)
    assert f"n° {contact.id} (appel-info-retractation) qualifié" in result.explanation
    assert "au lieu de INFO" in result.explanation


# --- identity_verified_first -------------------------------------------------------------------


def test_identity_not_observed_when_no_account_is_touched(desk, judge):
    desk.open(desk.client("C10013"))
    desk.qualify("INFO")
    assert judge("identity_verified_first").status == NOT_OBSERVED


def test_identity_verified_before_the_order_is_met(desk, judge, log):
    client = desk.client("C10013")
    desk.open(client)
    desk.verify(client)
    verified = log.last("identity.verified")
    desk.order(client)
    result = judge("identity_verified_first")
    assert (result.status, result.evidence) == (MET, (verified.id,))


def test_account_changed_before_identity_is_not_met(desk, judge, log):
    client = desk.client("C10013")
    desk.open(client)
    order = desk.order(client)
    created = log.last("order.created")
    desk.verify(client)  # too late
    result = judge("identity_verified_first")
    assert (result.status, result.not_met_ids) == (NOT_MET, (created.id,))
    assert "C10013" in result.explanation and "sans vérification d'identité" in result.explanation
    assert order.number  # the order exists: the check was not a refusal


def test_identity_of_another_client_does_not_count(desk, judge, log):
    client, other = desk.client("C10013"), desk.client("C10019")
    desk.open(client)
    desk.verify(other)
    desk.order(client)
    assert judge("identity_verified_first").status == NOT_MET


def test_written_channels_are_not_held_to_phone_identity_checks(desk, judge):
    client = desk.client("C10013")
    desk.open(client, channel="email")
    desk.order(client)
    assert judge("identity_verified_first").status == NOT_OBSERVED


def test_a_timeline_call_expecting_identity_without_check_is_not_met(desk, judge, log):
    desk.answer("appel-sav-transfert")  # expect: {identity: true, resolved: false}
    opened = log.last("contact.opened")
    desk.hang_up()
    result = judge("identity_verified_first")
    assert (result.status, result.not_met_ids) == (NOT_MET, (opened.id,))
    assert "jamais vérifiée" in result.explanation


# --- first_contact_resolution ------------------------------------------------------------------


def test_resolution_not_observed_without_inbound_contact(desk, judge):
    desk.open(desk.client("C10013"), direction="outbound")
    desk.qualify("INFO")
    assert judge("first_contact_resolution").status == NOT_OBSERVED


def test_most_requests_resolved_is_met(desk, judge, log):
    client = desk.client("C10013")
    desk.open(client)
    desk.qualify("INFO")
    first = log.last("contact.qualified")
    desk.open(client, channel="email")
    desk.qualify("VENTE")
    second = log.last("contact.qualified")
    result = judge("first_contact_resolution")
    assert (result.status, result.evidence) == (MET, ids(first, second))
    assert result.figures == {"contacts": 2, "resolved": 2}


def test_half_or_fewer_resolved_is_not_met(desk, judge, log):
    client = desk.client("C10013")
    desk.open(client)
    desk.qualify("INFO")
    desk.open(client)
    desk.qualify("ABSENT")  # CNA: the request is still pending
    pending = log.last("contact.qualified")
    result = judge("first_contact_resolution")
    assert (result.status, result.not_met_ids) == (NOT_MET, (pending.id,))
    assert "1 demande entrante sur 2 traitée" in result.explanation


def test_an_expected_transfer_is_not_counted_but_a_needless_one_is(desk, judge):
    desk.answer("appel-sav-transfert")  # expect: {resolved: false}
    desk.transfer("service-technique")
    desk.qualify("TRANSFERT")
    assert judge("first_contact_resolution").status == NOT_OBSERVED
    desk.answer("appel-info-retractation")  # nothing to transfer there
    desk.transfer("service-technique")
    desk.qualify("TRANSFERT")
    result = judge("first_contact_resolution")
    assert result.status == NOT_MET
    assert result.figures == {"contacts": 1, "resolved": 0}


def test_identity_not_met_cites_both_the_contact_without_and_the_one_with_a_check(desk, judge, log):
    client = desk.client("C10013")
    checked = desk.open(client)
    desk.verify(client)
    verified = log.last("identity.verified")
    desk.order(client)
    desk.qualify("INFO")
    unchecked = desk.open(client)
    desk.order(client)
    created = log.last("order.created")
    result = judge("identity_verified_first")
    assert result.status == NOT_MET
    assert (result.not_met_ids, result.met_ids) == ((created.id,), (verified.id,))
    assert result.evidence == ids(verified, created)
    assert f"Contact n° {unchecked.id}" in result.explanation
    assert f"Respecté : contact n° {checked.id}" in result.explanation


def test_a_majority_resolved_is_met_and_still_cites_the_request_left_pending(desk, judge, log):
    client = desk.client("C10013")
    for code in ("INFO", "VENTE"):
        desk.open(client)
        desk.qualify(code)
    pending = desk.open(client)
    desk.qualify("ABSENT")  # CNA: still pending
    left = log.last("contact.qualified")
    result = judge("first_contact_resolution")
    assert result.status == MET
    assert result.not_met_ids == (left.id,) and len(result.met_ids) == 2
    assert f"Restées sans solution : n° {pending.id}." in result.explanation
