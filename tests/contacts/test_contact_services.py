"""Contacts: open one at a time, qualify with a note, and each code's effects."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from crm import clock
from crm.claims.services import open_claim
from crm.contacts.booking import book_appointment, schedule_callback
from crm.contacts.models import Contact
from crm.contacts.services import open_contact, qualify_contact
from crm.db import db
from crm.dunning.models import PaymentPlan, PromiseToPay
from crm.errors import Conflict, ValidationFailed
from crm.payments.models import Invoice

# The few rows these tests read are their own: the seeded world would only slow them.
pytestmark = pytest.mark.empty_world


def opened(ctx, client, **kwargs):
    """Open a phone contact and return it with the Ctx that carries it as interaction."""
    contact = open_contact(ctx, client, kwargs.get("channel", "phone"), "inbound", "Appel")
    db.session.commit()
    return contact, replace(ctx, interaction=("contact", contact.id))


def test_open_records_the_contact_as_its_own_interaction(ctx, world, log):
    contact = open_contact(ctx, world["consumer"], "phone", "inbound", "Question livraison")
    (action,) = log.new()
    assert action.verb == "contact.opened"
    assert (action.interaction_type, action.interaction_id) == ("contact", contact.id)
    assert action.payload["client_id"] == world["consumer"].id
    assert contact.agent_id == ctx.actor_id and contact.qualified_at is None


def test_a_second_open_contact_is_refused(ctx, world, log):
    first, _ = opened(ctx, world["consumer"])
    log.mark()
    with pytest.raises(Conflict) as refused:
        open_contact(ctx, world["company"], "email", "outbound")
    assert refused.value.code == "contact_open"
    assert refused.value.details == {"contact_id": first.id}
    assert log.verbs() == []


def test_a_contact_without_client_is_allowed(ctx, world, log):
    contact = open_contact(ctx, None, "chat", "inbound", party="visiteur du site")
    assert contact.client_id is None and log.verbs() == ["contact.opened"]


@pytest.mark.parametrize(
    ("channel", "direction", "field"),
    [("fax", "inbound", "channel"), ("phone", "sideways", "direction")],
)
def test_open_refuses_unknown_channel_or_direction(ctx, world, log, channel, direction, field):
    with pytest.raises(ValidationFailed) as refused:
        open_contact(ctx, world["consumer"], channel, direction)
    assert field in refused.value.fields and log.verbs() == []


def test_outbound_calls_to_a_do_not_call_client_are_refused(ctx, world, log):
    world["consumer"].do_not_call = True
    with pytest.raises(Conflict) as refused:
        open_contact(ctx, world["consumer"], "phone", "outbound")
    assert refused.value.code == "do_not_call" and log.verbs() == []
    # The client may still call in.
    inbound = open_contact(ctx, world["consumer"], "phone", "inbound")
    assert inbound.direction == "inbound"


def test_an_acknowledged_opposition_lets_the_outbound_contact_open(ctx, world, log):
    world["consumer"].do_not_call = True
    contact = open_contact(
        ctx, world["consumer"], "phone", "outbound", opposition_acknowledged=True
    )
    assert contact.direction == "outbound" and log.verbs() == ["contact.opened"]


def test_qualify_records_code_note_and_closes(ctx, world, log):
    contact, cctx = opened(ctx, world["consumer"])
    log.mark()
    result = qualify_contact(cctx, contact, "T-VENTE", "  Commande de papier passée.  ")
    assert contact.code == "T-VENTE" and contact.note == "Commande de papier passée."
    assert contact.qualified_at is not None and result.effects == {}
    (action,) = log.new()
    assert action.verb == "contact.qualified"
    assert action.payload["code"] == "T-VENTE" and action.payload["effects"] == {}
    assert action.payload["note"] == "Commande de papier passée."


def test_qualifying_twice_is_a_conflict(ctx, world, log):
    contact, cctx = opened(ctx, world["consumer"])
    qualify_contact(cctx, contact, "T-VENTE", "Fait.")
    log.mark()
    with pytest.raises(Conflict) as refused:
        qualify_contact(cctx, contact, "T-VENTE", "Encore.")
    assert refused.value.code == "already_qualified" and log.verbs() == []


@pytest.mark.parametrize(
    ("code", "note", "field"),
    [("INCONNU", "note", "code"), ("T-VENTE", "   ", "note"), ("T-VENTE", "x" * 4001, "note")],
)
def test_qualify_refusals(ctx, world, log, code, note, field):
    contact, cctx = opened(ctx, world["consumer"])
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        qualify_contact(cctx, contact, code, note)
    assert field in refused.value.fields
    assert contact.qualified_at is None and log.verbs() == []


@pytest.mark.parametrize("code", ["T-RAPPEL", "T-RDV", "T-RECLA", "T-PROMESSE"])
def test_codes_requiring_an_action_refuse_without_it(ctx, world, log, code):
    contact, cctx = opened(ctx, world["consumer"])
    log.mark()
    with pytest.raises(ValidationFailed) as refused:
        qualify_contact(cctx, contact, code, "Le client rappellera.")
    assert "d'abord" in refused.value.fields["code"]
    assert contact.qualified_at is None and log.verbs() == []


def test_callback_required_is_met_by_a_callback_booked_during_the_contact(ctx, world, when):
    contact, cctx = opened(ctx, world["consumer"])
    callback = schedule_callback(cctx, world["consumer"], when(11), "Rappel devis")
    assert callback.contact_id == contact.id
    assert qualify_contact(cctx, contact, "T-RAPPEL", "Rappel demain.").code.code == "T-RAPPEL"


def test_appointment_required_is_met_by_an_appointment_of_this_contact(ctx, world, when):
    contact, cctx = opened(ctx, world["company"])
    book_appointment(cctx, world["company"], world["rep"], when(9), "Présentation")
    assert qualify_contact(cctx, contact, "T-RDV", "RDV pris.").contact.code == "T-RDV"


def test_claim_required_is_met_by_a_claim_opened_since_the_contact_began(ctx, world):
    contact, cctx = opened(ctx, world["consumer"])
    open_claim(cctx, world["consumer"], "damaged", "Colis arrivé écrasé.")
    assert qualify_contact(cctx, contact, "T-RECLA", "Réclamation ouverte.").contact.code


@pytest.mark.parametrize("kind", ["plan", "promise"])
def test_payment_plan_or_promise_is_met_by_either(ctx, world, kind):
    client = world["consumer"]
    today = clock.today()
    invoice = Invoice(
        attempt_id=ctx.attempt.id,
        number="FA-T-9",
        client_id=client.id,
        issued_on=today - timedelta(days=60),
        due_on=today - timedelta(days=30),
        amount=Decimal("90.00"),
    )
    db.session.add(invoice)
    db.session.commit()
    contact, cctx = opened(ctx, client)
    if kind == "plan":
        db.session.add(
            PaymentPlan(
                attempt_id=ctx.attempt.id,
                client_id=client.id,
                total=Decimal("90.00"),
                created_at=clock.now(),
            )
        )
    else:
        db.session.add(
            PromiseToPay(
                attempt_id=ctx.attempt.id,
                invoice_id=invoice.id,
                amount=Decimal("90.00"),
                due_date=today + timedelta(days=7),
                method="transfer",
                created_at=clock.now(),
            )
        )
    db.session.flush()
    assert qualify_contact(cctx, contact, "T-PROMESSE", "Accord trouvé.").contact.code


def test_do_not_call_sets_the_flag_and_says_so(ctx, world, log):
    contact, cctx = opened(ctx, world["consumer"])
    log.mark()
    result = qualify_contact(cctx, contact, "T-STOP", "Ne souhaite plus être appelé.")
    assert world["consumer"].do_not_call is True
    assert log.new()[0].payload["effects"] == {"do_not_call": {"old": False, "new": True}}
    assert result.effects["do_not_call"]["new"] is True


def test_block_number_sets_a_date_sixty_days_ahead(ctx, world, log):
    contact, cctx = opened(ctx, world["consumer"])
    log.mark()
    qualify_contact(cctx, contact, "T-REFUS", "Pas intéressé.")
    blocked = world["consumer"].call_blocked_until
    assert (blocked - clock.today()).days in (59, 60)  # Paris date of the qualification + 60
    assert log.new()[0].payload["effects"] == {"blocked_until": blocked.isoformat()}


def test_client_effects_need_a_client(ctx, world, log):
    contact = open_contact(ctx, None, "chat", "inbound")
    log.mark()
    with pytest.raises(ValidationFailed):
        qualify_contact(ctx, contact, "T-STOP", "Opposition.")
    assert log.verbs() == []
    assert db.session.get(Contact, contact.id).qualified_at is None


def _invoice_owed(ctx, client) -> Invoice:
    today = clock.today()
    invoice = Invoice(
        attempt_id=ctx.attempt.id,
        number="FA-T-10",
        client_id=client.id,
        issued_on=today - timedelta(days=60),
        due_on=today - timedelta(days=30),
        amount=Decimal("90.00"),
    )
    db.session.add(invoice)
    db.session.commit()
    return invoice


def _plan_granted(ctx, client) -> None:
    db.session.add(
        PaymentPlan(
            attempt_id=ctx.attempt.id,
            client_id=client.id,
            total=Decimal("90.00"),
            created_at=clock.now(),
        )
    )
    db.session.commit()


@pytest.mark.parametrize("code", ["T-PROMESSE", "T-RECLA", "T-RAPPEL"])
def test_a_required_action_done_just_before_the_contact_counts(ctx, world, when, code):
    """Prepared before dialling (no contact open yet) for this client: the code is not a trap."""
    client = world["consumer"]
    _invoice_owed(ctx, client)
    if code == "T-PROMESSE":
        _plan_granted(ctx, client)
    elif code == "T-RECLA":
        open_claim(ctx, client, "damaged", "Colis arrivé écrasé.")
    else:
        schedule_callback(ctx, client, when(11), "Rappel devis")
    db.session.commit()
    contact, cctx = opened(ctx, client)
    assert qualify_contact(cctx, contact, code, "Fait avant l'appel.").contact.code == code


def test_a_required_action_of_an_earlier_contact_does_not_count(ctx, world):
    """A plan granted for this client during a previous, already qualified contact belongs to it."""
    client = world["consumer"]
    _invoice_owed(ctx, client)
    earlier, ectx = opened(ctx, client)
    _plan_granted(ctx, client)
    qualify_contact(ectx, earlier, "T-PROMESSE", "Échéancier accordé.")
    db.session.commit()
    contact, cctx = opened(ctx, client)
    with pytest.raises(ValidationFailed) as refused:
        qualify_contact(cctx, contact, "T-PROMESSE", "Encore ?")
    assert "d'abord" in refused.value.fields["code"]


def test_a_required_action_for_another_client_does_not_count(ctx, world):
    _invoice_owed(ctx, world["company"])
    _plan_granted(ctx, world["company"])
    contact, cctx = opened(ctx, world["consumer"])
    with pytest.raises(ValidationFailed):
        qualify_contact(cctx, contact, "T-PROMESSE", "Rien pour ce client.")
